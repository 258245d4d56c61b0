;;; transcript-mode.el --- Major mode for annotated transcripts (.transcript)  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages, text
;; URL: https://github.com/transcript-ls/transcript-ls

;; This file is not part of GNU Emacs.  MIT or Apache-2.0, at your option.

;;; Commentary:

;; A major mode for `.transcript' files (press conferences, interviews and
;; briefings with a metadata header, sections, turns, questions, entity
;; mentions and notes; see docs/format.md in the transcript-ls repository).
;;
;; - Highlighting of the `---' header (keys and values), headings, turn
;;   labels (`Question (RIA Novosti):', `Sergey Lavrov:'), mentions
;;   `[surface]{ref}', editorial notes `[applause]', time codes `[01:02:03]'
;;   and `//' comment lines; `M-;' comments with `//'.
;; - Prose settings: `visual-line-mode' (paragraphs are long lines), no
;;   automatic hard wrapping, paragraphs ended by headings and comments,
;;   `outline-minor-mode' headings, an imenu of sections and questions.
;; - The language server: `transcript-ls' is registered with eglot (built in
;;   from Emacs 29; the `eglot' package, or Debian's elpa-eglot, on 28) and
;;   started for every transcript (`transcript-start-server'), rooted at the
;;   folder holding `transcripts.json'.  Eglot then gives diagnostics through
;;   flymake, the outline through imenu, hover through eldoc, completion,
;;   definitions, references, rename, code actions and formatting.
;;
;; Installation: put this folder on `load-path' and require the mode:
;;
;;   (add-to-list 'load-path "/path/to/transcript-ls/editors/emacs")
;;   (require 'transcript-mode)
;;
;; with `transcript-ls' on `exec-path' (`cargo install --path .' in a
;; checkout of transcript-ls).

;;; Code:

(require 'cl-lib)
(require 'project)

(defgroup transcript nil
  "Annotated transcripts (.transcript files) and the transcript-ls server."
  :group 'text
  :prefix "transcript-")

(defcustom transcript-server-command '("transcript-ls")
  "The language server: a program and its arguments (none: LSP on stdio)."
  :type '(repeat string))

(defcustom transcript-start-server t
  "Non-nil: start the language server with eglot for every transcript."
  :type 'boolean)

(defcustom transcript-question-labels '("Question")
  "Labels that open a question (add the registry's `questionLabels')."
  :type '(repeat string))

(defconst transcript-registry-file "transcripts.json"
  "The workspace registry; the folder holding it is the project root.")

;;;; Faces

(defface transcript-heading '((t :inherit (bold font-lock-function-name-face)))
  "Section headings.")

(defface transcript-label '((t :inherit font-lock-function-name-face))
  "Speaker labels opening a turn.")

(defface transcript-question-label '((t :inherit font-lock-keyword-face))
  "Question labels.")

(defface transcript-attribution '((t :inherit font-lock-type-face))
  "The attribution of a question, `(RIA Novosti)'.")

(defface transcript-mention '((t :inherit underline))
  "The surface text of an entity mention.")

(defface transcript-mention-ref '((t :inherit font-lock-constant-face))
  "The registry id or type of an entity mention.")

(defface transcript-delimiter '((t :inherit shadow))
  "Brackets and braces of mentions, and the header's `---' lines.")

(defface transcript-note '((t :inherit font-lock-doc-face))
  "Editorial notes such as `[applause]'.")

(defface transcript-time-code '((t :inherit font-lock-constant-face))
  "Time codes such as `[01:02:03]'.")

(defface transcript-header-key '((t :inherit font-lock-variable-name-face))
  "Keys of the header.")

(defface transcript-header-value '((t :inherit font-lock-string-face))
  "Values of the header.")

;;;; Syntax

(defvar transcript-mode-syntax-table
  (let ((table (make-syntax-table text-mode-syntax-table)))
    ;; `//' opens a comment only at the start of a line (see
    ;; `transcript-syntax-propertize'); elsewhere (URLs) it is text.
    (modify-syntax-entry ?/ "." table)
    table)
  "Syntax table of `transcript-mode'.")

(defconst transcript-syntax-propertize
  (syntax-propertize-rules
   ("^[ \t]*\\(/\\)/.*\\(\n\\)" (1 "!") (2 "!")))
  "Syntax properties of comments: only whole `//' lines are comments.
A comment fence at the first slash and at the end of the line.")

;;;; Highlighting

(defun transcript--header-end ()
  "The position after the header's closing `---' line, or nil without a header."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (when (looking-at "\ufeff?---[ \t]*$")
        (forward-line 1)
        (when (re-search-forward "^---[ \t]*$" nil t)
          (point))))))

(defun transcript--match-header-line (limit)
  "Font-lock matcher: the next `key: value' line of the header before LIMIT."
  (let ((end (transcript--header-end)))
    (when (and end (< (point) end))
      (re-search-forward "^[ \t]*\\([a-z0-9-]+\\)[ \t]*:[ \t]*\\(.*\\)$" (min limit end) t))))

(defun transcript--match-header-fence (limit)
  "Font-lock matcher: the header's `---' lines before LIMIT.
The header closes at the first `---' after its first line, so every one
before its end is a fence."
  (let ((end (transcript--header-end)))
    (and end (re-search-forward "^\ufeff?---[ \t]*$" (min limit end) t))))

(defun transcript--paragraph-start-p ()
  "Return non-nil when the line at point opens a paragraph of the body."
  (save-excursion
    (beginning-of-line)
    (or (bobp)
        (progn
          (forward-line -1)
          (looking-at "[ \t]*$\\|[ \t]*//\\|#\\{1,6\\}\\(?:[ \t]\\|$\\)\\|---[ \t]*$")))))

(defconst transcript--name-regexp
  (let ((word "[[:upper:]][[:alpha:]’'-]*")
        (particle (regexp-opt '("de" "da" "del" "della" "di" "du" "der" "den" "van" "von" "zu"
                                "al" "el" "bin" "ibn" "ben" "la" "le" "dos" "das" "y" "ter"))))
    (concat word "\\(?: \\(?:" particle " \\)*" word "\\)\\{0,5\\}"))
  "A name as the format's name heuristic reads it (docs/format.md, Labels).")

(defun transcript--match-label (regexp limit)
  "Font-lock helper: find REGEXP before LIMIT at the start of a paragraph."
  (let ((header-end (or (transcript--header-end) (point-min)))
        found)
    (while (and (not found) (re-search-forward regexp limit t))
      (when (and (>= (match-beginning 0) header-end)
                 (save-match-data (transcript--paragraph-start-p)))
        (setq found t)))
    found))

(defun transcript--match-question (limit)
  "Font-lock matcher: a question label with its attribution before LIMIT."
  (transcript--match-label
   (concat "^\\(" (regexp-opt transcript-question-labels) "\\)"
           "\\( ([^):\n]*)\\)?:\\(?:[ \t]\\|$\\)")
   limit))

(defun transcript--match-speaker (limit)
  "Font-lock matcher: a speaker label before LIMIT."
  (transcript--match-label
   (concat "^\\(" transcript--name-regexp "\\):\\(?:[ \t]\\|$\\)") limit))

(defun transcript--match-brackets (regexp limit)
  "Font-lock helper: REGEXP, starting with `[', not escaped `\\[', before LIMIT."
  (let (found)
    (while (and (not found) (re-search-forward regexp limit t))
      (unless (eq (char-before (match-beginning 0)) ?\\)
        (setq found t)))
    found))

(defun transcript--match-mention (limit)
  "Font-lock matcher: a mention `[surface]{ref}' before LIMIT."
  (transcript--match-brackets "\\(\\[\\)\\([^][\n]+\\)\\(\\]{\\)\\([^}\n]*\\)\\(}\\)" limit))

(defun transcript--match-time-code (limit)
  "Font-lock matcher: a time code `[mm:ss]' or `[hh:mm:ss]' before LIMIT."
  (transcript--match-brackets
   "\\[\\(?:[0-9]\\{1,2\\}:[0-5][0-9]:[0-5][0-9]\\|[0-9]\\{1,3\\}:[0-5][0-9]\\)\\]" limit))

(defun transcript--match-note (limit)
  "Font-lock matcher: an editorial note `[text]' before LIMIT."
  (transcript--match-brackets "\\[[^][\n]*\\]" limit))

(defconst transcript-font-lock-keywords
  `((transcript--match-header-fence (0 'transcript-delimiter))
    (transcript--match-header-line (1 'transcript-header-key) (2 'transcript-header-value))
    ("^\\(#\\{1,6\\}\\)\\(?:[ \t]+\\(.*\\)\\)?$" (1 'transcript-delimiter) (2 'transcript-heading nil t))
    (transcript--match-question (1 'transcript-question-label) (2 'transcript-attribution nil t))
    (transcript--match-speaker (1 'transcript-label))
    (transcript--match-mention
     (1 'transcript-delimiter) (2 'transcript-mention) (3 'transcript-delimiter)
     (4 'transcript-mention-ref) (5 'transcript-delimiter))
    ;; Time codes and notes after mentions: they never override a mention's faces.
    (transcript--match-time-code (0 'transcript-time-code))
    (transcript--match-note (0 'transcript-note)))
  "Highlighting of `transcript-mode' (comments come from the syntax table).")

;;;; Imenu without the server

(defvar transcript-imenu-generic-expression
  `(("Sections" "^#\\{1,6\\}[ \t]+\\(.+\\)" 1)
    ("Questions" ,(concat "^\\(?:" (regexp-opt transcript-question-labels) "\\)[^:\n]*:[ \t]*\\(.\\{1,60\\}\\)") 1))
  "The imenu of a transcript until eglot's (from the server's outline) takes over.")

;;;; The language server

(defun transcript--eglot-contact (&optional _interactive)
  "Return the command of the server: `transcript-server-command'."
  transcript-server-command)

;; Eglot is loaded only when a transcript is opened (or by the user).
(defvar eglot-server-programs)
(declare-function eglot-ensure "eglot" ())

;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(transcript-mode . transcript--eglot-contact)))

(defun transcript-project-find (dir)
  "The project of DIR: the folder holding `transcripts.json' above it, if any."
  (let ((root (locate-dominating-file dir transcript-registry-file)))
    (and root (cons 'transcript (file-name-as-directory (expand-file-name root))))))

(cl-defmethod project-root ((project (head transcript)))
  "The folder of the registry of a transcript PROJECT."
  (cdr project))

(defvar transcript--warned-missing nil
  "Non-nil once the user was told that the server cannot be found.")

(defun transcript--start-server ()
  "Start eglot for this buffer, or say why it cannot be started."
  (cond
   ((not buffer-file-name) nil)
   ((not (require 'eglot nil t))
    (message "transcript-mode: eglot is not installed (M-x package-install RET eglot); highlighting only"))
   ((and (not (file-remote-p default-directory))
         (not (executable-find (car transcript-server-command))))
    (unless transcript--warned-missing
      (setq transcript--warned-missing t)
      (display-warning
       'transcript
       (format "cannot start the language server: %S is not on exec-path. Install it (`cargo install --path .' in a checkout of transcript-ls) or set `transcript-server-command'."
               (car transcript-server-command))
       :error)))
   (t (eglot-ensure))))

;;;; The mode

;;;###autoload
(define-derived-mode transcript-mode text-mode "Transcript"
  "Major mode for annotated transcripts (.transcript files).

\\{transcript-mode-map}"
  :syntax-table transcript-mode-syntax-table
  (setq-local font-lock-defaults '(transcript-font-lock-keywords nil nil))
  (setq-local font-lock-multiline t)
  (setq-local syntax-propertize-function transcript-syntax-propertize)
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "^[ \t]*//+[ \t]*")
  (setq-local comment-use-syntax t)
  (setq-local paragraph-start
              (concat "[ \t]*//\\|#\\{1,6\\}\\(?:[ \t]\\|$\\)\\|" paragraph-start))
  (setq-local paragraph-separate
              (concat "[ \t]*//.*$\\|#\\{1,6\\}\\(?:[ \t].*\\)?$\\|" paragraph-separate))
  (setq-local outline-regexp "#\\{1,6\\}\\(?:[ \t]\\|$\\)")
  (setq-local outline-level (lambda () (- (match-end 0) (match-beginning 0) 1)))
  (setq-local imenu-generic-expression transcript-imenu-generic-expression)
  (add-hook 'project-find-functions #'transcript-project-find nil t)
  ;; Paragraphs are one long line each and a mention must stay on one line:
  ;; wrap on screen, never in the file.
  (auto-fill-mode -1)
  (visual-line-mode 1)
  (when transcript-start-server
    (transcript--start-server)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.transcript\\'" . transcript-mode))

(provide 'transcript-mode)
;;; transcript-mode.el ends here
