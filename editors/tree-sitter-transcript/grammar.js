/**
 * @file Tree-sitter grammar for annotated transcripts (`.transcript`).
 * @license MIT OR Apache-2.0
 *
 * The format is line-based and decided by looking ahead (is a paragraph's
 * first line a label? does the paragraph go on? is the header closed?), so
 * the external scanner (src/scanner.c) reads the lines and hands the parser
 * one token per decision, most of them empty: `_header_start`,
 * `_heading_start`, `_label_start`, `_paragraph_start`, `_soft_break`,
 * `_paragraph_end`, ... The rules below only put those tokens together.
 * Every text is a valid document: there is no input the rules reject.
 *
 * The grammar reads the format as transcript-ls's core parser does with the
 * default label context (only `Question` is a question label; speakers are
 * those the header declares and names the name heuristic accepts). Labels a
 * registry adds (`questionLabels`, `speakers`) are not known here.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

module.exports = grammar({
  name: 'transcript',

  // The order is the scanner's `enum TokenType`.
  externals: $ => [
    $._blank, // whitespace and/or a line end
    $.comment,
    $._header_start,
    $.delimiter,
    $._entry_start,
    $._malformed_start,
    $._close_start,
    $._header_end,
    $.malformed_line,
    $.key,
    ':',
    $.value,
    $._ws,
    $._heading_start,
    $.marker,
    $.title,
    $._label_start,
    $.name,
    $.question,
    '(',
    $.attribution,
    ')',
    $._label_space,
    $._paragraph_start,
    $._text,
    $.escape,
    $._mention_open,
    $.surface,
    $._mention_close,
    $._reference_open,
    $.reference,
    $._reference_close,
    $._note_open,
    $.text,
    $.time_code,
    $._note_close,
    $._soft_break,
    $._paragraph_end,
    $._error_sentinel,
  ],

  extras: $ => [$._blank, $.comment],

  rules: {
    // Narration comes before the first turn of a section; every unlabelled
    // paragraph after a turn belongs to that turn.
    document: $ => seq(
      optional($.header),
      optional($._section_body),
      repeat(seq($.heading, optional($._section_body))),
    ),

    _section_body: $ => choice(
      seq(repeat1($._unlabelled), repeat($.turn)),
      repeat1($.turn),
    ),

    // The header ends at its closing `---`; an unclosed one at the first line
    // that does not look like a header line (`_header_end`) or at the end.
    header: $ => seq(
      $._header_start,
      $.delimiter,
      repeat(choice($.entry, seq($._malformed_start, $.malformed_line))),
      optional(choice(seq($._close_start, $.delimiter), $._header_end)),
    ),

    entry: $ => seq(
      $._entry_start,
      optional($._ws),
      $.key,
      optional($._ws),
      ':',
      optional($._ws),
      optional(seq($.value, optional($._ws))),
    ),

    heading: $ => seq(
      $._heading_start,
      $.marker,
      optional($._ws),
      optional(seq($.title, optional($._ws))),
    ),

    // A turn: a labelled paragraph and the unlabelled ones after it.
    turn: $ => seq(
      $._label_start,
      $.label,
      ':',
      optional($._label_space),
      optional($.paragraph),
      $._paragraph_end,
      repeat($._unlabelled),
    ),

    label: $ => choice(
      $.name,
      seq($.question, optional(seq($._ws, '(', optional($.attribution), ')'))),
    ),

    // A paragraph without a label: plain, or escaped by a leading `\`.
    _unlabelled: $ => choice(
      seq($._paragraph_start, $.paragraph, $._paragraph_end),
      seq($.escape, optional($.paragraph), $._paragraph_end),
    ),

    // The content of a paragraph (after its label or escape), over one or
    // more lines; after a label that ends its line, it starts at that line's end.
    paragraph: $ => choice(
      seq($._line, repeat(seq($._soft_break, $._line))),
      repeat1(seq($._soft_break, $._line)),
    ),

    _line: $ => repeat1(choice($._text, $.escape, $.mention, $.note)),

    mention: $ => seq(
      alias($._mention_open, '['),
      optional($._ws),
      $.surface,
      optional($._ws),
      alias($._mention_close, ']'),
      alias($._reference_open, '{'),
      optional($._ws),
      $.reference,
      optional($._ws),
      alias($._reference_close, '}'),
    ),

    note: $ => seq(
      alias($._note_open, '['),
      optional($._ws),
      choice($.text, $.time_code),
      optional($._ws),
      alias($._note_close, ']'),
    ),
  },
});
