; Folding: the header, and each turn with its paragraphs.
[
  (header)
  (turn)
] @fold
