// The external scanner of the transcript grammar: it reads the text line by
// line as transcript-ls's core parser does (src/syntax/ in the repository)
// and gives the parser every token. Where the format decides by looking
// ahead (is this line a heading, a label, the end of the header? does the
// paragraph go on?), it reads ahead and returns an empty token that names
// the decision; the tokens of the line then follow one call at a time, each
// call knowing from `valid_symbols` where the parser is.
//
// The state (serialized with every token) is a few flags and the speakers
// that the header declares and that the name heuristic would not accept:
// labels of those speakers are recognised by a 64-bit hash of the name, for
// up to 127 such names (the state holds at most 1 KiB).
//
// `\r\n` ends a line like `\n`; a lone `\r` is an ordinary (white space)
// character, as in the core.

#include "tree_sitter/alloc.h"
#include "tree_sitter/array.h"
#include "tree_sitter/parser.h"
#include "unicode.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

// The order of `externals` in grammar.js.
enum TokenType {
  BLANK,
  COMMENT,
  HEADER_START,
  DELIMITER,
  ENTRY_START,
  MALFORMED_START,
  CLOSE_START,
  HEADER_END,
  MALFORMED_LINE,
  KEY,
  COLON,
  VALUE,
  WS,
  HEADING_START,
  MARKER,
  TITLE,
  LABEL_START,
  NAME,
  QUESTION,
  OPEN_PAREN,
  ATTRIBUTION,
  CLOSE_PAREN,
  LABEL_SPACE,
  PARAGRAPH_START,
  TEXT_RUN,
  ESCAPE,
  MENTION_OPEN,
  SURFACE,
  MENTION_CLOSE,
  REFERENCE_OPEN,
  REFERENCE,
  REFERENCE_CLOSE,
  NOTE_OPEN,
  NOTE_TEXT,
  TIME_CODE,
  NOTE_CLOSE,
  SOFT_BREAK,
  PARAGRAPH_END,
  ERROR_SENTINEL,
};

// Flags of the state.
enum {
  // A token has been read: the header can no longer open.
  STARTED = 1,
  // The last token ended with a line end: the next one starts a line.
  LINE_START = 2,
  // The header entry being read is `speaker:`.
  SPEAKER_ENTRY = 4,
  // The header's closing `---` is known to come later.
  CLOSE_AHEAD = 8,
  // No `}` follows on the line: a `[x]{` is known to be unclosed.
  NO_BRACE = 16,
};

// The current character at the end of the text.
#define END (-2)

// Longest label that can look like a name, in characters; most words.
#define MAX_NAME_CHARS 60
#define MAX_NAME_WORDS 6

// Declared speakers kept in the state: the flags byte and 8 bytes each.
#define MAX_SPEAKERS ((TREE_SITTER_SERIALIZATION_BUFFER_SIZE - 1) / 8)

typedef Array(int32_t) Chars;

typedef struct {
  uint8_t flags;
  // FNV-1a hashes of declared speaker names that the heuristic rejects.
  Array(uint64_t) speakers;
  // Scratch: the characters of a line or value being read (not state).
  Chars chars;
} Scanner;

// Character classes ----------------------------------------------------------

static bool in_ranges(const UnicodeRange *ranges, size_t count, int32_t c) {
  if (c < 0) return false;
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((uint32_t)c < ranges[mid].lo) {
      hi = mid;
    } else if ((uint32_t)c > ranges[mid].hi) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

#define IN_TABLE(table, c) in_ranges(table, sizeof(table) / sizeof(table[0]), c)

// Rust's `char::is_whitespace`, `is_numeric`, `is_uppercase`, `is_alphabetic`.
static bool is_ws(int32_t c) {
  if (c >= 0 && c < 128) return c == ' ' || (c >= '\t' && c <= '\r');
  return IN_TABLE(WHITE_SPACE, c);
}

static bool is_numeric(int32_t c) {
  if (c >= 0 && c < 128) return c >= '0' && c <= '9';
  return IN_TABLE(NUMERIC, c);
}

static bool is_uppercase(int32_t c) {
  if (c >= 0 && c < 128) return c >= 'A' && c <= 'Z';
  return IN_TABLE(UPPERCASE, c);
}

static bool is_alphabetic(int32_t c) {
  if (c >= 0 && c < 128) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return IN_TABLE(ALPHABETIC, c);
}

// Reading ----------------------------------------------------------------------

// The lexer seen as characters in which `\r\n` is one `\n`. Peeking at a `\r`
// advances past it (to see what follows); a lone `\r` is then held as the
// current character until `next`. Marking the end of the token is only right
// after `next`, when nothing is held.
typedef struct {
  TSLexer *lexer;
  bool held_cr;
} Reader;

static int32_t peek(Reader *r) {
  if (r->held_cr) return '\r';
  TSLexer *l = r->lexer;
  if (l->eof(l)) return END;
  if (l->lookahead != '\r') return l->lookahead;
  l->advance(l, false);
  if (!l->eof(l) && l->lookahead == '\n') return '\n';
  r->held_cr = true;
  return '\r';
}

static void next(Reader *r) {
  if (r->held_cr) {
    r->held_cr = false;
  } else {
    r->lexer->advance(r->lexer, false);
  }
}

// The token ends after the characters read so far.
static void mark(Reader *r) { r->lexer->mark_end(r->lexer); }

// The character after the current one is `[` or `]` (the current one, a
// backslash, is passed).
static bool next_is_bracket(Reader *r) {
  next(r);
  TSLexer *l = r->lexer;
  return !l->eof(l) && (l->lookahead == '[' || l->lookahead == ']');
}

static bool is_line_end(int32_t c) { return c == '\n' || c == END; }

// Reads to the end of the line, the token ending after its last character.
static void read_line(Reader *r) {
  while (!is_line_end(peek(r))) {
    next(r);
    mark(r);
  }
}

// Reads to the end of the line, the token ending after its last character that
// is not white space; keeps the characters from the current one on in `out`.
static void read_trimmed_line(Reader *r, Chars *out) {
  for (int32_t c = peek(r); !is_line_end(c); c = peek(r)) {
    next(r);
    if (!is_ws(c)) mark(r);
    if (out) array_push(out, c);
  }
}

// Reads white space within the line.
static void read_ws(Reader *r) {
  for (int32_t c = peek(r); !is_line_end(c) && is_ws(c); c = peek(r)) {
    next(r);
    mark(r);
  }
}

// Skips the rest of the line and its line end; false at the end of the text.
static bool skip_line(Reader *r) {
  int32_t c = peek(r);
  while (!is_line_end(c)) {
    next(r);
    c = peek(r);
  }
  if (c == END) return false;
  next(r);
  return true;
}

// Reads the rest of the line into `out` (cleared first).
static void line_chars(Reader *r, Chars *out) {
  array_clear(out);
  for (int32_t c = peek(r); !is_line_end(c); c = peek(r)) {
    array_push(out, c);
    next(r);
  }
}

// Strings of characters ------------------------------------------------------

static bool equals_ascii(const int32_t *s, size_t n, const char *ascii) {
  size_t len = strlen(ascii);
  if (n != len) return false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != (unsigned char)ascii[i]) return false;
  }
  return true;
}

static bool starts_with_ascii(const int32_t *s, size_t n, const char *ascii) {
  size_t len = strlen(ascii);
  return n >= len && equals_ascii(s, len, ascii);
}

static uint64_t hash_chars(const int32_t *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= (uint64_t)(uint32_t)s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

static size_t trim_end(const int32_t *s, size_t n) {
  while (n > 0 && is_ws(s[n - 1])) n--;
  return n;
}

static size_t trim_start(const int32_t *s, size_t n) {
  size_t i = 0;
  while (i < n && is_ws(s[i])) i++;
  return i;
}

// The rules of the core ----------------------------------------------------

// `---` with nothing but white space after it (`is_delimiter`).
static bool is_delimiter(const int32_t *s, size_t n) {
  return starts_with_ascii(s, n, "---") && trim_end(s, n) == 3;
}

// The line is a comment: `//` after white space (`is_comment`).
static bool is_comment(const int32_t *s, size_t n) {
  size_t i = trim_start(s, n);
  return starts_with_ascii(s + i, n - i, "//");
}

// A heading: 1 to 6 `#`, then a space, a tab or the end of the line (`heading`).
static bool is_heading(const int32_t *s, size_t n) {
  size_t level = 0;
  while (level < n && s[level] == '#') level++;
  return level >= 1 && level <= 6 && (level == n || s[level] == ' ' || s[level] == '\t');
}

// A header key: lowercase ASCII letters, digits and `-` (`is_valid_key`).
static bool is_valid_key(const int32_t *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    int32_t c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

typedef enum { NO_KEY, SPACED_KEY, INVALID_KEY, VALID_KEY } KeyKind;

// The key of a `key: value` line: the text before the first colon, trimmed
// (`key_value`); a key containing white space is `SPACED_KEY`.
static KeyKind key_kind(const int32_t *s, size_t n) {
  size_t colon = 0;
  while (colon < n && s[colon] != ':') colon++;
  if (colon == n) return NO_KEY;
  size_t start = trim_start(s, colon), end = trim_end(s, colon);
  if (start >= end) return NO_KEY;
  for (size_t i = start; i < end; i++) {
    if (is_ws(s[i])) return SPACED_KEY;
  }
  return is_valid_key(s + start, end - start) ? VALID_KEY : INVALID_KEY;
}

static const char *const PARTICLES[] = {
  "de", "da", "del", "della", "di", "du", "der", "den", "van", "von", "zu",
  "al", "el", "bin", "ibn", "ben", "la", "le", "dos", "das", "y", "ter",
};

static const int32_t FORBIDDEN[] = {
  '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"',
  0x201C, 0x201D, 0xAB, 0xBB, '/',
};

static bool is_particle(const int32_t *w, size_t n) {
  for (size_t i = 0; i < sizeof(PARTICLES) / sizeof(PARTICLES[0]); i++) {
    if (equals_ascii(w, n, PARTICLES[i])) return true;
  }
  return false;
}

static bool is_forbidden(int32_t c) {
  for (size_t i = 0; i < sizeof(FORBIDDEN) / sizeof(FORBIDDEN[0]); i++) {
    if (c == FORBIDDEN[i]) return true;
  }
  return false;
}

// 1 to 6 capitalised words (lowercase particles between them), no digits, no
// sentence punctuation, at most 60 characters (`looks_like_name`).
static bool looks_like_name(const int32_t *s, size_t n) {
  if (n > MAX_NAME_CHARS) return false;
  size_t words = 1;
  for (size_t i = 0; i < n; i++) {
    if (is_numeric(s[i]) || is_forbidden(s[i])) return false;
    if (s[i] == ' ') words++;
  }
  if (words > MAX_NAME_WORDS) return false;
  size_t start = 0, index = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != ' ') continue;
    const int32_t *w = s + start;
    size_t len = i - start;
    bool capitalised = len > 0 && is_uppercase(w[0]);
    for (size_t k = 0; capitalised && k < len; k++) {
      int32_t c = w[k];
      capitalised = is_alphabetic(c) || c == 0x2019 || c == '\'' || c == '-';
    }
    bool particle = index > 0 && index + 1 < words && is_particle(w, len);
    if (!capitalised && !particle) return false;
    start = i + 1;
    index++;
  }
  return true;
}

// `Question`, alone or with ` (attribution)` (the default question label).
static bool is_question_label(const int32_t *s, size_t n) {
  return equals_ascii(s, n, "Question") ||
         (n >= 11 && starts_with_ascii(s, n, "Question (") && s[n - 1] == ')');
}

static bool is_declared(const Scanner *scanner, const int32_t *s, size_t n) {
  uint64_t h = hash_chars(s, n);
  for (uint32_t i = 0; i < scanner->speakers.size; i++) {
    if (*array_get(&scanner->speakers, i) == h) return true;
  }
  return false;
}

// The text before the first colon of a paragraph's first line is a label
// (`parse_label`); `s` is that text.
static bool is_label(const Scanner *scanner, const int32_t *s, size_t n) {
  if (n == 0 || is_ws(s[0]) || is_ws(s[n - 1])) return false;
  return is_question_label(s, n) || is_declared(scanner, s, n) || looks_like_name(s, n);
}

// Declares the speaker of a `speaker:` value (`speaker_name`): the value
// without its final ` (role)`. Only names that the heuristic rejects, and
// that can be a label at all, need remembering.
static void declare_speaker(Scanner *scanner, const int32_t *value, size_t n) {
  size_t name = n;
  if (n > 0 && value[n - 1] == ')') {
    for (size_t i = n - 1; i >= 2; i--) {
      if (value[i - 2] == ' ' && value[i - 1] == '(') {
        name = trim_end(value, i - 2);
        break;
      }
    }
  }
  if (name == 0 || looks_like_name(value, name)) return;
  for (size_t i = 0; i < name; i++) {
    if (value[i] == ':' || value[i] == '\r') return;
  }
  if (is_declared(scanner, value, name) || scanner->speakers.size >= MAX_SPEAKERS) return;
  array_push(&scanner->speakers, hash_chars(value, name));
}

// Kinds of lines -------------------------------------------------------------

// Whether the header goes on after the line end just read: the next line is
// blank, a comment or a `key: value` line whose key has no white space, or a
// closing `---` comes later (then every line up to it is a header line).
static bool header_goes_on(Scanner *scanner, Reader *r) {
  line_chars(r, &scanner->chars);
  const int32_t *s = scanner->chars.contents;
  size_t n = scanner->chars.size;
  if (trim_end(s, n) == 0 || is_comment(s, n) || is_delimiter(s, n)) return true;
  KeyKind key = key_kind(s, n);
  if (key == VALID_KEY || key == INVALID_KEY || (scanner->flags & CLOSE_AHEAD)) return true;
  while (skip_line(r)) {
    line_chars(r, &scanner->chars);
    if (is_delimiter(scanner->chars.contents, scanner->chars.size)) {
      scanner->flags |= CLOSE_AHEAD;
      return true;
    }
  }
  return false;
}

// Tokens -------------------------------------------------------------------

static bool emit(Scanner *scanner, TSLexer *lexer, enum TokenType token, bool ends_line) {
  lexer->result_symbol = token;
  if (ends_line) {
    scanner->flags |= LINE_START;
  } else {
    scanner->flags &= ~LINE_START;
  }
  if (ends_line || token == SOFT_BREAK || token == PARAGRAPH_END) scanner->flags &= ~NO_BRACE;
  if (token == HEADER_END || token == DELIMITER) scanner->flags &= ~CLOSE_AHEAD;
  return true;
}

// The line end of a header line (at its `\n`): a blank, or the end of an
// unclosed header.
static bool header_line_end(Scanner *scanner, Reader *r) {
  next(r);
  mark(r);
  return emit(scanner, r->lexer, header_goes_on(scanner, r) ? BLANK : HEADER_END, true);
}

// At a line end (`\n`, `\r\n` or the end of the text).
static bool scan_line_end(Scanner *scanner, Reader *r, const bool *valid, int32_t c) {
  TSLexer *lexer = r->lexer;
  if (valid[ENTRY_START]) return c == END ? false : header_line_end(scanner, r);
  if (valid[PARAGRAPH_END]) {
    // Empty tokens: the line end itself is read next, as a blank.
    if (c == END) return emit(scanner, lexer, PARAGRAPH_END, false);
    next(r);
    line_chars(r, &scanner->chars);
    const int32_t *s = scanner->chars.contents;
    size_t n = scanner->chars.size;
    bool goes_on = trim_end(s, n) > 0 && !is_comment(s, n) && !is_heading(s, n);
    return emit(scanner, lexer, goes_on ? SOFT_BREAK : PARAGRAPH_END, false);
  }
  if (c == END) return false;
  next(r);
  mark(r);
  return emit(scanner, lexer, BLANK, true);
}

// The rest of a comment line, from the second `/`.
static bool finish_comment(Scanner *scanner, Reader *r) {
  next(r);
  mark(r);
  read_line(r);
  return emit(scanner, r->lexer, COMMENT, false);
}

// At the start of a header line that is not empty.
static bool scan_header_line(Scanner *scanner, Reader *r) {
  TSLexer *lexer = r->lexer;
  Chars *chars = &scanner->chars;
  array_clear(chars);
  int32_t c = peek(r);
  while (!is_line_end(c) && is_ws(c)) {
    array_push(chars, c);
    next(r);
    c = peek(r);
  }
  if (c == END) {
    mark(r);
    return emit(scanner, lexer, BLANK, false);
  }
  if (c == '\n') return header_line_end(scanner, r);
  if (c == '/') {
    array_push(chars, c);
    next(r);
    if (peek(r) == '/') return finish_comment(scanner, r);
  }
  for (c = peek(r); !is_line_end(c); c = peek(r)) {
    array_push(chars, c);
    next(r);
  }
  // The whole line is read: an empty token says what it is.
  const int32_t *s = chars->contents;
  size_t n = chars->size;
  enum TokenType token = MALFORMED_START;
  if (is_delimiter(s, n)) {
    token = CLOSE_START;
  } else if (key_kind(s, n) == VALID_KEY) {
    token = ENTRY_START;
  }
  return emit(scanner, lexer, token, false);
}

// The paragraph's first line `s` opens a turn: the text before its first
// colon, within the line up to its first `\r`, is a label, and the colon is
// followed by a space, a tab or nothing.
static bool opens_turn(const Scanner *scanner, const int32_t *s, size_t n) {
  size_t end = 0;
  while (end < n && s[end] != '\r') end++;
  size_t colon = 0;
  while (colon < end && s[colon] != ':') colon++;
  if (colon == end) return false;
  if (colon + 1 < end && s[colon + 1] != ' ' && s[colon + 1] != '\t') return false;
  return is_label(scanner, s, colon);
}

// At the start of a body line that is not empty; `may_open_header` on the
// first line of the text.
static bool scan_body_line(Scanner *scanner, Reader *r, bool may_open_header) {
  TSLexer *lexer = r->lexer;
  Chars *chars = &scanner->chars;
  array_clear(chars);
  int32_t c = peek(r);
  if (c == '\\') {
    next(r);
    mark(r);
    return emit(scanner, lexer, ESCAPE, false);
  }
  while (!is_line_end(c) && is_ws(c)) {
    array_push(chars, c);
    next(r);
    c = peek(r);
  }
  if (is_line_end(c)) {
    // A blank line, with its line end.
    bool ends_line = c == '\n';
    if (ends_line) next(r);
    mark(r);
    return emit(scanner, lexer, BLANK, ends_line);
  }
  if (c == '/') {
    array_push(chars, c);
    next(r);
    if (peek(r) == '/') return finish_comment(scanner, r);
  }
  for (c = peek(r); !is_line_end(c); c = peek(r)) {
    array_push(chars, c);
    next(r);
  }
  // The whole line is read: an empty token says what it is.
  const int32_t *s = chars->contents;
  size_t n = chars->size;
  enum TokenType token = PARAGRAPH_START;
  if (may_open_header && is_delimiter(s, n)) {
    token = HEADER_START;
  } else if (is_heading(s, n)) {
    token = HEADING_START;
  } else if (opens_turn(scanner, s, n)) {
    token = LABEL_START;
  }
  return emit(scanner, lexer, token, false);
}

// In-line tokens -----------------------------------------------------------

// A label's name or `Question` (after `_label_start`), up to the colon.
static bool scan_label_name(Scanner *scanner, Reader *r) {
  Chars *chars = &scanner->chars;
  array_clear(chars);
  for (int32_t c = peek(r); c != ':' && c != '\r' && !is_line_end(c); c = peek(r)) {
    array_push(chars, c);
    next(r);
    if (chars->size == 8 && equals_ascii(chars->contents, 8, "Question")) mark(r);
  }
  if (is_question_label(chars->contents, chars->size)) {
    return emit(scanner, r->lexer, QUESTION, false);
  }
  mark(r);
  return emit(scanner, r->lexer, NAME, false);
}

// A question's attribution, up to the `)` before the label's colon, or that
// `)` when the attribution is empty.
static bool scan_attribution(Scanner *scanner, Reader *r) {
  int32_t c = peek(r);
  if (c == ')') {
    next(r);
    if (peek(r) == ':') {
      mark(r);
      return emit(scanner, r->lexer, CLOSE_PAREN, false);
    }
  }
  for (c = peek(r); c != ':' && !is_line_end(c); c = peek(r)) {
    if (c == ')') mark(r);
    next(r);
  }
  return emit(scanner, r->lexer, ATTRIBUTION, false);
}

// At a `[` in a paragraph: what it opens, found as the core's inline parser
// finds it. The close is the first `[` or `]` after it (`\[` and `\]` are
// skipped); a `]` directly followed by `{` makes a mention if a `}` follows
// on the line. An unclosed `[` is text, and so are empty brackets (`[ ]`,
// `[]{x}`, `[x]{ }`), read as one token as the core skips them.
static bool scan_bracket(Scanner *scanner, Reader *r) {
  TSLexer *lexer = r->lexer;
  next(r);
  mark(r);
  bool blank = true;
  for (;;) {
    int32_t c = peek(r);
    if (is_line_end(c) || c == '[') return emit(scanner, lexer, TEXT_RUN, false);
    if (c == ']') break;
    if (c == '\\') {
      blank = false;
      if (next_is_bracket(r)) next(r);
      continue;
    }
    if (!is_ws(c)) blank = false;
    next(r);
  }
  next(r);
  if (lexer->eof(lexer) || lexer->lookahead != '{') {
    if (!blank) return emit(scanner, lexer, NOTE_OPEN, false);
    mark(r);
    return emit(scanner, lexer, TEXT_RUN, false);
  }
  // Once a `}` was looked for in vain, none follows on the line.
  if (scanner->flags & NO_BRACE) return emit(scanner, lexer, TEXT_RUN, false);
  next(r);
  bool reference_blank = true;
  for (int32_t c = peek(r); c != '}'; c = peek(r)) {
    if (is_line_end(c)) {
      scanner->flags |= NO_BRACE;
      return emit(scanner, lexer, TEXT_RUN, false);
    }
    if (!is_ws(c)) reference_blank = false;
    next(r);
  }
  if (!blank && !reference_blank) return emit(scanner, lexer, MENTION_OPEN, false);
  next(r);
  mark(r);
  return emit(scanner, lexer, TEXT_RUN, false);
}

// Paragraph content: the white space after a label's colon, an opening
// bracket, an escape `\[` `\]`, or a run of text up to one of these.
static bool scan_content(Scanner *scanner, Reader *r, const bool *valid, int32_t c) {
  TSLexer *lexer = r->lexer;
  if (valid[LABEL_SPACE] && (c == ' ' || c == '\t')) {
    // The label's line is read up to its first `\r`.
    while (c != '\r' && !is_line_end(c) && is_ws(c)) {
      next(r);
      mark(r);
      c = peek(r);
    }
    return emit(scanner, lexer, LABEL_SPACE, false);
  }
  if (c == '[') return scan_bracket(scanner, r);
  if (c == '\\') {
    if (next_is_bracket(r)) {
      next(r);
      mark(r);
      return emit(scanner, lexer, ESCAPE, false);
    }
    mark(r);
  }
  for (c = peek(r); !is_line_end(c) && c != '['; c = peek(r)) {
    if (c == '\\') {
      if (next_is_bracket(r)) break;
    } else {
      next(r);
    }
    mark(r);
  }
  return emit(scanner, lexer, TEXT_RUN, false);
}

// A mention's surface or a note's text: up to the closing `]` (`\[` and `\]`
// included), the token ending after its last character that is not white
// space; the characters go to `out`.
static void read_bracketed(Reader *r, Chars *out) {
  for (int32_t c = peek(r); c != ']' && !is_line_end(c); c = peek(r)) {
    if (c == '\\') {
      array_push(out, c);
      bool bracket = next_is_bracket(r);
      mark(r);
      if (bracket) {
        array_push(out, r->lexer->lookahead);
        next(r);
        mark(r);
      }
      continue;
    }
    next(r);
    if (!is_ws(c)) mark(r);
    array_push(out, c);
  }
}

// A field of a time code: 1 to `max_len` ASCII digits; its value or -1.
static int time_field(const int32_t *s, size_t n, size_t max_len) {
  if (n == 0 || n > max_len) return -1;
  int value = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

// `mm:ss` (1 to 3 digits of minutes) or `hh:mm:ss` (1 or 2 digits of hours),
// minutes and seconds below 60 (`time_code`).
static bool is_time_code(const int32_t *s, size_t n) {
  size_t colons[2], count = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != ':') continue;
    if (count == 2) return false;
    colons[count++] = i;
  }
  if (count == 1) {
    size_t c = colons[0];
    int seconds = n - c - 1 == 2 ? time_field(s + c + 1, 2, 2) : -1;
    return time_field(s, c, 3) >= 0 && seconds >= 0 && seconds < 60;
  }
  if (count == 2) {
    size_t c0 = colons[0], c1 = colons[1];
    if (c1 - c0 - 1 != 2 || n - c1 - 1 != 2) return false;
    int minutes = time_field(s + c0 + 1, 2, 2), seconds = time_field(s + c1 + 1, 2, 2);
    return time_field(s, c0, 2) >= 0 && minutes >= 0 && minutes < 60 && seconds >= 0 && seconds < 60;
  }
  return false;
}

// A header key (after `_entry_start`): marks a `speaker:` entry.
static bool scan_key(Scanner *scanner, Reader *r) {
  Chars *chars = &scanner->chars;
  array_clear(chars);
  for (int32_t c = peek(r); c != ':' && !is_line_end(c) && !is_ws(c); c = peek(r)) {
    array_push(chars, c);
    next(r);
    mark(r);
  }
  if (equals_ascii(chars->contents, chars->size, "speaker")) {
    scanner->flags |= SPEAKER_ENTRY;
  } else {
    scanner->flags &= ~SPEAKER_ENTRY;
  }
  return emit(scanner, r->lexer, KEY, false);
}

// A header value, trimmed; a `speaker:` value declares a speaker.
static bool scan_value(Scanner *scanner, Reader *r) {
  Chars *chars = &scanner->chars;
  array_clear(chars);
  read_trimmed_line(r, chars);
  if (scanner->flags & SPEAKER_ENTRY) {
    declare_speaker(scanner, chars->contents, trim_end(chars->contents, chars->size));
    scanner->flags &= ~SPEAKER_ENTRY;
  }
  return emit(scanner, r->lexer, VALUE, false);
}

// A note's text: a time code or not.
static bool scan_note_text(Scanner *scanner, Reader *r) {
  Chars *chars = &scanner->chars;
  array_clear(chars);
  read_bracketed(r, chars);
  bool time_code = is_time_code(chars->contents, trim_end(chars->contents, chars->size));
  return emit(scanner, r->lexer, time_code ? TIME_CODE : NOTE_TEXT, false);
}

// The reference of a mention, up to the first `}`, trimmed.
static bool scan_reference(Scanner *scanner, Reader *r) {
  for (int32_t c = peek(r); c != '}' && !is_line_end(c); c = peek(r)) {
    next(r);
    if (!is_ws(c)) mark(r);
  }
  return emit(scanner, r->lexer, REFERENCE, false);
}

// One character of punctuation that the parser expects here.
static bool scan_punctuation(Scanner *scanner, Reader *r, const bool *valid, int32_t c) {
  enum TokenType token;
  if (c == ':' && valid[COLON]) {
    token = COLON;
  } else if (c == '(' && valid[OPEN_PAREN]) {
    token = OPEN_PAREN;
  } else if (c == ')' && valid[CLOSE_PAREN]) {
    token = CLOSE_PAREN;
  } else if (c == ']' && valid[MENTION_CLOSE]) {
    token = MENTION_CLOSE;
  } else if (c == '{' && valid[REFERENCE_OPEN]) {
    token = REFERENCE_OPEN;
  } else if (c == '}' && valid[REFERENCE_CLOSE]) {
    token = REFERENCE_CLOSE;
  } else if (c == ']' && valid[NOTE_CLOSE]) {
    token = NOTE_CLOSE;
  } else {
    return false;
  }
  next(r);
  mark(r);
  return emit(scanner, r->lexer, token, false);
}

// Within a line: the parser's state says which token comes.
static bool scan_in_line(Scanner *scanner, Reader *r, const bool *valid, int32_t c) {
  TSLexer *lexer = r->lexer;
  if (valid[DELIMITER] || valid[MALFORMED_LINE]) {
    read_line(r);
    return emit(scanner, lexer, valid[DELIMITER] ? DELIMITER : MALFORMED_LINE, false);
  }
  if (valid[MARKER]) {
    while (peek(r) == '#') {
      next(r);
      mark(r);
    }
    return emit(scanner, lexer, MARKER, false);
  }
  if (valid[NAME]) return scan_label_name(scanner, r);
  if (valid[ATTRIBUTION]) return scan_attribution(scanner, r);
  if (valid[TEXT_RUN]) return scan_content(scanner, r, valid, c);
  if (valid[WS] && is_ws(c)) {
    read_ws(r);
    return emit(scanner, lexer, WS, false);
  }
  if (valid[KEY]) return scan_key(scanner, r);
  if (valid[VALUE]) return scan_value(scanner, r);
  if (valid[TITLE]) {
    read_trimmed_line(r, NULL);
    return emit(scanner, lexer, TITLE, false);
  }
  if (valid[SURFACE]) {
    array_clear(&scanner->chars);
    read_bracketed(r, &scanner->chars);
    return emit(scanner, lexer, SURFACE, false);
  }
  if (valid[REFERENCE]) return scan_reference(scanner, r);
  if (valid[NOTE_TEXT]) return scan_note_text(scanner, r);
  return scan_punctuation(scanner, r, valid, c);
}

// The scanner's interface ---------------------------------------------------

void *tree_sitter_transcript_external_scanner_create(void) {
  Scanner *scanner = ts_calloc(1, sizeof(Scanner));
  array_init(&scanner->speakers);
  array_init(&scanner->chars);
  scanner->flags = LINE_START;
  return scanner;
}

void tree_sitter_transcript_external_scanner_destroy(void *payload) {
  Scanner *scanner = payload;
  array_delete(&scanner->speakers);
  array_delete(&scanner->chars);
  ts_free(scanner);
}

unsigned tree_sitter_transcript_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *scanner = payload;
  buffer[0] = (char)scanner->flags;
  size_t size = scanner->speakers.size * sizeof(uint64_t);
  if (size > 0) memcpy(buffer + 1, scanner->speakers.contents, size);
  return (unsigned)(1 + size);
}

void tree_sitter_transcript_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *scanner = payload;
  array_clear(&scanner->speakers);
  if (length == 0) {
    scanner->flags = LINE_START;
    return;
  }
  scanner->flags = (uint8_t)buffer[0];
  uint32_t count = (length - 1) / sizeof(uint64_t);
  if (count > 0) {
    array_reserve(&scanner->speakers, count);
    memcpy(scanner->speakers.contents, buffer + 1, count * sizeof(uint64_t));
    scanner->speakers.size = count;
  }
}

bool tree_sitter_transcript_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *scanner = payload;
  if (valid_symbols[ERROR_SENTINEL]) return false;
  lexer->mark_end(lexer);
  bool line_start = scanner->flags & LINE_START;
  bool may_open_header = !(scanner->flags & STARTED) && valid_symbols[HEADER_START];
  scanner->flags |= STARTED;
  Reader r = {lexer, false};
  int32_t c = peek(&r);
  if (is_line_end(c)) return scan_line_end(scanner, &r, valid_symbols, c);
  if (line_start && valid_symbols[ENTRY_START]) return scan_header_line(scanner, &r);
  if (line_start && valid_symbols[PARAGRAPH_START]) return scan_body_line(scanner, &r, may_open_header);
  return scan_in_line(scanner, &r, valid_symbols, c);
}
