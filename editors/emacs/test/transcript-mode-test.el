;;; transcript-mode-test.el --- Batch test of transcript-mode with eglot and transcript-ls  -*- lexical-binding: t; -*-

;; Run by test/run.sh as
;;
;;   emacs --batch -q -L editors/emacs -l editors/emacs/test/transcript-mode-test.el
;;
;; with `transcript-ls' on PATH (-q: no user init file, but the site's start
;; files, which put Debian's elpa-eglot on the load path as for a user).
;; Opens a broken transcript the way a user does (find-file, then the end of
;; that command) and checks the mode, its highlighting, and through eglot the
;; flymake diagnostic, the imenu outline, the hover shown by eldoc, and a
;; rule severity set through `eglot-workspace-configuration'.
;; With TRANSCRIPT_E2E_MODE=missing, transcript-ls is taken off exec-path and
;; the test expects the error message instead.  Prints "ok   …" or "FAIL …"
;; per check, then "N passed, M failed"; exits 1 when a check failed.
;; TRANSCRIPT_E2E_TIMEOUT: seconds per wait (default 20).

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defvar transcript-test--passed 0)
(defvar transcript-test--failed 0)
(defvar transcript-test--timeout
  (string-to-number (or (getenv "TRANSCRIPT_E2E_TIMEOUT") "20")))

(defun transcript-test--out (format-string &rest args)
  "Print FORMAT-STRING with ARGS on standard output."
  (princ (concat (apply #'format format-string args) "\n")))

(defun transcript-test--check (name ok expected got)
  "Count the check NAME: OK, else print what was EXPECTED and what was GOT."
  (if ok
      (progn (cl-incf transcript-test--passed)
             (transcript-test--out "ok   %s" name))
    (cl-incf transcript-test--failed)
    (transcript-test--out "FAIL %s" name)
    (transcript-test--out "     expected: %s" expected)
    (transcript-test--out "     got:      %S" got))
  ok)

(defun transcript-test--wait (predicate)
  "Run timers and process output until PREDICATE is non-nil or the timeout.
Return its value."
  (let ((deadline (+ (float-time) transcript-test--timeout))
        value)
    (while (and (not (setq value (funcall predicate)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; What the command loop does between commands.
      (run-hooks 'post-command-hook))
    value))

(defconst transcript-test--registry
  "{
  \"entities\": {
    \"kerry\": {
      \"name\": \"John Kerry\",
      \"type\": \"person\",
      \"aliases\": [\"Mr Kerry\"],
      \"description\": \"US Secretary of State (2013-2017)\"
    }
  },
  \"speakers\": {
    \"Sergey Lavrov\": { \"role\": \"Minister of Foreign Affairs of the Russian Federation\" }
  }
}
")

;; Typographic quotes and an astral character before the mention on its
;; line: the hover is asked at a UTF-16 column, which must be exact.
(defconst transcript-test--transcript
  "---
title: Talks in Vientiane
date: 2016-02-30
speaker: Sergey Lavrov (Minister of Foreign Affairs of the Russian Federation)
---

// A comment for annotators: http://example.org/ is text here.

# Opening remarks

Sergey Lavrov: We have held good talks. [applause]

# Questions and answers

Question (RIA Novosti): What was the outcome?

Sergey Lavrov: “Good” 😀 — we met [John Kerry]{kerry} at [00:12:10] in Vientiane.

Question: And what next?

Sergey Lavrov: We will meet again.
")

(defun transcript-test--face-at (needle &optional offset)
  "The face at OFFSET characters into the first NEEDLE in the buffer."
  (save-excursion
    (goto-char (point-min))
    (search-forward needle)
    (get-text-property (+ (match-beginning 0) (or offset 0)) 'face)))

(defun transcript-test--has-face (face needle &optional offset)
  "Non-nil when FACE is among the faces at OFFSET into NEEDLE."
  (let ((f (transcript-test--face-at needle offset)))
    (if (listp f) (memq face f) (eq f face))))

(defun transcript-test--imenu-names (index)
  "The names of every entry of the imenu INDEX, depth first."
  (cl-loop for (name . rest) in index
           collect name
           when (and (consp rest) (listp rest) (consp (car rest)))
           append (transcript-test--imenu-names rest)))

(defun transcript-test--main ()
  "The checks."
  (let* ((dir (file-name-as-directory (make-temp-file "transcript-emacs-e2e-" t)))
         (file (expand-file-name "sub/talks.transcript" dir)))
    (unwind-protect
        (progn
          (make-directory (file-name-directory file) t)
          (with-temp-file (expand-file-name "transcripts.json" dir)
            (insert transcript-test--registry))
          (with-temp-file file
            (insert transcript-test--transcript))

          (require 'transcript-mode)
          (transcript-test--check
           "transcript-ls is on exec-path" (executable-find "transcript-ls")
           "an executable transcript-ls" exec-path)

          ;; 1. The mode, as find-file sets it, and its settings.
          (find-file file)
          (transcript-test--check
           "*.transcript opens in transcript-mode" (eq major-mode 'transcript-mode)
           'transcript-mode major-mode)
          (transcript-test--check
           "visual-line-mode is on" visual-line-mode t visual-line-mode)
          (transcript-test--check
           "comment-start is // " (equal comment-start "// ") "// " comment-start)

          ;; 2. Highlighting.
          (font-lock-ensure)
          (transcript-test--check
           "highlighting: heading, labels, mention, note, time code, header key"
           (and (transcript-test--has-face 'transcript-heading "# Opening remarks" 2)
                (transcript-test--has-face 'transcript-question-label "Question (RIA")
                (transcript-test--has-face 'transcript-attribution "(RIA Novosti)")
                (transcript-test--has-face 'transcript-label "Sergey Lavrov: We")
                (transcript-test--has-face 'transcript-mention "John Kerry]")
                (transcript-test--has-face 'transcript-mention-ref "kerry}")
                (transcript-test--has-face 'transcript-note "[applause]")
                (transcript-test--has-face 'transcript-time-code "[00:12:10]")
                (transcript-test--has-face 'transcript-header-key "date:"))
           "the faces of each construct"
           (mapcar (lambda (n) (cons n (transcript-test--face-at n)))
                   '("# Opening" "Question (RIA" "(RIA Novosti)" "Sergey Lavrov: We"
                     "John Kerry]" "kerry}" "[applause]" "[00:12:10]" "date:")))
          (transcript-test--check
           "a whole // line is a comment, // inside it (a URL) too, and the text after is not"
           (and (transcript-test--has-face 'font-lock-comment-face "// A comment" 3)
                (transcript-test--has-face 'font-lock-comment-face "http://example" 6)
                (not (transcript-test--has-face 'font-lock-comment-face "# Opening")))
           "font-lock-comment-face on the comment line only"
           (list (transcript-test--face-at "// A comment" 3)
                 (transcript-test--face-at "# Opening")))

          ;; 3. Eglot starts transcript-ls when the find-file command ends.
          (run-hooks 'post-command-hook)
          (let ((server (transcript-test--wait
                         (lambda () (and (fboundp 'eglot-current-server) (eglot-current-server))))))
            (transcript-test--check
             "eglot manages the buffer with transcript-ls" server
             "an eglot server for the buffer"
             (and (fboundp 'eglot-current-server) (eglot-current-server)))
            (when server
              (transcript-test--check
               "the project root is the folder holding transcripts.json"
               (equal (file-truename (project-root (eglot--project server))) (file-truename dir))
               dir (project-root (eglot--project server)))

              ;; 4. The diagnostic, through flymake.
              (let ((diag (transcript-test--wait
                           (lambda ()
                             (flymake-start)
                             (cl-find-if (lambda (d) (string-match-p "2016-02-30" (flymake-diagnostic-text d)))
                                         (flymake-diagnostics))))))
                (transcript-test--check
                 "flymake shows the invalid-date diagnostic on the date line"
                 (and diag
                      (eq (flymake-diagnostic-type diag) 'eglot-error)
                      (= (line-number-at-pos (flymake-diagnostic-beg diag)) 3))
                 "an error on line 3 whose text names 2016-02-30"
                 (mapcar (lambda (d) (list (line-number-at-pos (flymake-diagnostic-beg d))
                                           (flymake-diagnostic-type d)
                                           (flymake-diagnostic-text d)))
                         (flymake-diagnostics))))

              ;; 5. The outline, through imenu.
              (let ((names (transcript-test--imenu-names (funcall imenu-create-index-function))))
                (transcript-test--check
                 "imenu lists the sections and the numbered questions (from the server)"
                 (and (member "Opening remarks" names)
                      (member "Questions and answers" names)
                      (cl-some (lambda (n) (string-prefix-p "Q1 · What was the outcome" n)) names)
                      (cl-some (lambda (n) (string-prefix-p "Q2 · And what next" n)) names))
                 "Opening remarks, Questions and answers, Q1 · What was the outcome…, Q2 · And what next…"
                 names))

              ;; 6. Hover, as eldoc shows it, at the `[' of the mention on the line
              ;; with “ ” and 😀: a column counted in characters instead of
              ;; UTF-16 code units would land on the space before it.
              (goto-char (point-min))
              (search-forward "[John Kerry]{kerry}")
              (goto-char (match-beginning 0))
              (let* ((docs nil)
                     (callback (lambda (doc &rest _) (when (stringp doc) (push doc docs)))))
                (run-hook-wrapped 'eldoc-documentation-functions
                                  (lambda (fn) (funcall fn callback) nil))
                (transcript-test--wait
                 (lambda () (cl-some (lambda (d) (string-match-p "John Kerry" d)) docs)))
                (transcript-test--check
                 "eldoc shows the hover: the registry entry of the mention"
                 (cl-some (lambda (d) (and (string-match-p "John Kerry" d)
                                           (string-match-p "US Secretary of State" d)))
                          docs)
                 "a documentation string with John Kerry and US Secretary of State"
                 docs))

              ;; 7. A setting of the server, as eglot sends it: invalid-date
              ;; as a warning in this editor, from then on.
              (setq-default eglot-workspace-configuration
                            '(:transcript (:rules (:invalid-date "warning"))))
              (eglot-signal-didChangeConfiguration server)
              (let ((diag (transcript-test--wait
                           (lambda ()
                             (flymake-start)
                             (cl-find-if (lambda (d) (and (string-match-p "2016-02-30" (flymake-diagnostic-text d))
                                                          (eq (flymake-diagnostic-type d) 'eglot-warning)))
                                         (flymake-diagnostics))))))
                (transcript-test--check
                 "eglot-workspace-configuration (:transcript (:rules (:invalid-date \"warning\"))) makes invalid-date a warning"
                 diag
                 "a warning whose text names 2016-02-30"
                 (mapcar (lambda (d) (list (flymake-diagnostic-type d) (flymake-diagnostic-text d)))
                         (flymake-diagnostics)))))))
      (when (and (fboundp 'eglot-current-server) (eglot-current-server))
        (ignore-errors (eglot-shutdown (eglot-current-server))))
      (delete-directory dir t))))

(defun transcript-test--missing ()
  "Without transcript-ls on `exec-path': opening a transcript says so."
  (setq exec-path (cl-remove-if (lambda (d) (file-executable-p (expand-file-name "transcript-ls" d)))
                                exec-path))
  (setenv "PATH" (string-join exec-path path-separator))
  (let* ((dir (file-name-as-directory (make-temp-file "transcript-emacs-e2e-" t)))
         (file (expand-file-name "talks.transcript" dir)))
    (unwind-protect
        (progn
          (with-temp-file file (insert transcript-test--transcript))
          (require 'transcript-mode)
          (find-file file)
          (run-hooks 'post-command-hook)
          (let ((warnings (when (get-buffer "*Warnings*")
                            (with-current-buffer "*Warnings*" (buffer-string)))))
            (transcript-test--check
             "without transcript-ls, opening a transcript shows an error in *Warnings*"
             (and warnings (string-match-p "Error (transcript): .*\"transcript-ls\" is not on exec-path" warnings))
             "a transcript error naming \"transcript-ls\" in *Warnings*" warnings))
          (transcript-test--check
           "and no server is started" (not (and (fboundp 'eglot-current-server) (eglot-current-server)))
           "no eglot server" (and (fboundp 'eglot-current-server) (eglot-current-server))))
      (delete-directory dir t))))

(condition-case err
    (if (equal (getenv "TRANSCRIPT_E2E_MODE") "missing")
        (transcript-test--missing)
      (transcript-test--main))
  (error (transcript-test--check "the test ran to the end" nil "no Lisp error" err)))
(transcript-test--out "%d passed, %d failed" transcript-test--passed transcript-test--failed)
(kill-emacs (if (> transcript-test--failed 0) 1 0))

;;; transcript-mode-test.el ends here
