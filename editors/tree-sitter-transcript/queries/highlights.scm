; Highlighting of transcripts, with the standard capture names of Neovim
; (Helix reads most of them as they are). Later patterns take precedence.

; The header
(delimiter) @punctuation.special

(key) @property

(entry
  ":" @punctuation.delimiter)

(value) @string

(malformed_line) @comment.error

; Sections
(heading) @markup.heading

((heading
  (marker) @_marker) @markup.heading.1
  (#eq? @_marker "#"))

((heading
  (marker) @_marker) @markup.heading.2
  (#eq? @_marker "##"))

((heading
  (marker) @_marker) @markup.heading.3
  (#eq? @_marker "###"))

((heading
  (marker) @_marker) @markup.heading.4
  (#eq? @_marker "####"))

((heading
  (marker) @_marker) @markup.heading.5
  (#eq? @_marker "#####"))

((heading
  (marker) @_marker) @markup.heading.6
  (#eq? @_marker "######"))

(marker) @markup.heading.marker

(title) @spell

; Turns: the label, with a question's attribution
(label) @label

(label
  [
    "("
    ")"
  ] @punctuation.bracket)

(attribution) @string.special

(turn
  ":" @punctuation.delimiter)

; Paragraphs: entity mentions, editorial notes, time codes, escapes
(paragraph) @spell

(mention) @markup.link

(surface) @markup.link.label

(reference) @string.special

(mention
  [
    "["
    "]"
    "{"
    "}"
  ] @punctuation.bracket)

(note) @comment.note

(note
  [
    "["
    "]"
  ] @punctuation.bracket)

(time_code) @number

(escape) @string.escape

(comment) @comment @spell
