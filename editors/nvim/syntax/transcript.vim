" Vim syntax file
" Language:    annotated transcript (.transcript), see transcript-ls
" Description: highlighting without semantic tokens: the `---` header
"              (delimiters, keys, values, speaker roles), headings, turn labels
"              (questions with their attribution, speaker names), entity
"              mentions [surface]{ref}, editorial notes [text], time codes
"              [hh:mm:ss], // comments and backslash escapes.
"
" Question labels other than `Question` (a registry's `questionLabels`, e.g.
" `Вопрос`) can be listed in b:transcript_question_labels or
" g:transcript_question_labels.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn spell toplevel
" The header is the only construct spanning lines; it sits at the top.
syn sync minlines=200

" ---------------------------------------------------------------------------
" Body

" Comments: lines whose first non-space characters are `//`.
syn keyword transcriptTodo contained TODO FIXME XXX
syn match transcriptComment /^\s*\/\/.*$/ contains=transcriptTodo,@NoSpell

" Headings: `#`..`######` followed by a space or the end of the line.
syn match transcriptHeading /^#\{1,6}\%(\s.*\)\=$/ contains=transcriptHeadingMarker,@Spell
syn match transcriptHeadingMarker /^#\{1,6}/ contained

" The start of a paragraph: first line of the file, or a line after a blank
" line, a comment line, a heading or the header's closing `---`.
let s:para = '^\%(\%^\|\%(^\s*\n\|^\s*\/\/.*\n\|^#\{1,6}\%(\s.*\)\=\n\|^---\s*\n\)\@<=\)'

" Speaker labels: a name-like label (1-6 capitalised words, lowercase
" particles between them, no digits or sentence punctuation) followed by `:`
" and a space or the end of the line.
let s:word = '[[:upper:]][^[:space:][:digit:].,;:!?()[\]{}"“”«»/]*'
let s:particle = '\%(de\|da\|del\|della\|di\|du\|der\|den\|van\|von\|zu\|al\|el\|bin\|ibn\|ben\|la\|le\|dos\|das\|y\|ter\)'
" (Unbounded repetitions: counted ones make the NFA engine run out of memory.)
let s:name = s:word . '\%( \%(' . s:particle . ' \)*' . s:word . '\)*'
let s:after = '\ze:\%(\s\|$\)'
execute 'syn match transcriptSpeakerLabel /' . s:para . s:name . s:after . '/ contains=@NoSpell nextgroup=transcriptLabelColon'
" Speakers declared in this file's header (`speaker: Name (role)`) are labels
" whatever their form (`Mr. Smith`, `Speaker 2`). Read when the syntax is
" loaded; `:syntax on` (or reopening the file) picks up new declarations.
let s:speakers = []
if getline(1) =~# '^\%(\%uFEFF\)\=---\s*$'
  for s:line in getline(2, min([line('$'), 500]))
    if s:line =~# '^---\s*$'
      break
    endif
    let s:m = matchlist(s:line, '^\s*speaker\s*:\s*\(.\{-}\)\s*\%(([^()]*)\)\=\s*$')
    if !empty(s:m) && s:m[1] !=# '' && s:m[1] !~# ':'
      call add(s:speakers, s:m[1])
    endif
  endfor
endif
for s:sp in s:speakers
  execute 'syn match transcriptSpeakerLabel /' . s:para . '\V' . escape(s:sp, '\/') . '\m' . s:after . '/ contains=@NoSpell nextgroup=transcriptLabelColon'
endfor
unlet! s:speakers s:line s:m s:sp

" Question labels, with an optional attribution in parentheses.
let s:qlabels = ['Question'] + get(b:, 'transcript_question_labels', get(g:, 'transcript_question_labels', []))
let s:qalts = join(map(copy(s:qlabels), 'escape(v:val, ''\/.*$^~[]'')'), '\|')
execute 'syn match transcriptQuestionLabel /' . s:para . '\%(' . s:qalts . '\)\ze\%( ([^):]*)\)\=:\%(\s\|$\)/ nextgroup=transcriptAttribution,transcriptLabelColon'
syn match transcriptAttribution / ([^):]*)\ze:/ contained contains=transcriptAttributionParen nextgroup=transcriptLabelColon
syn match transcriptAttributionParen /[()]/ contained
syn match transcriptLabelColon /:/ contained

" Inline markup (one line each). No lookbehind for backslashes is needed: an
" escape `\[` is matched at its backslash and so consumes the bracket.
" Inside brackets: anything but brackets, escaped brackets `\[` `\]`, and a
" backslash before anything else (ordinary text).
let s:inner = '\%([^\][\\]\|\\[[\]]\|\\\)'
" `\[` and `\]` are literal brackets.
syn match transcriptEscape /\\[[\]]/
" A `[` never closed on its line, or followed by another `[` before its `]`
" (brackets do not nest).
execute 'syn match transcriptUnclosed /\[' . s:inner . '*\%($\|\ze\[\)/'
" Editorial note `[text]` (not followed by `{`).
execute 'syn match transcriptNote /\[' . s:inner . '*\]{\@!/ contains=transcriptEscape'
" Time code: [mm:ss] (minutes: 1-3 digits) or [hh:mm:ss] (hours: 1-2 digits).
syn match transcriptTimeCode /\[\%(\d\{1,2}:[0-5]\d:[0-5]\d\|\d\{1,3}:[0-5]\d\)\]{\@!/
" Mention `[surface]{ref}`.
execute 'syn match transcriptMentionOpen /\[\ze' . s:inner . '*\]{[^}]*}/ nextgroup=transcriptMentionSurface,transcriptMentionMid'
execute 'syn match transcriptMentionSurface /' . s:inner . '\+/ contained contains=transcriptEscape nextgroup=transcriptMentionMid'
syn match transcriptMentionMid /\]{/ contained nextgroup=transcriptMentionRef,transcriptMentionClose
syn match transcriptMentionRef /[^}]\+/ contained contains=@NoSpell nextgroup=transcriptMentionClose
syn match transcriptMentionClose /}/ contained
" `[surface]{` without the closing `}` on the line.
execute 'syn match transcriptUnclosed /\[' . s:inner . '*\]{[^}]*$/'
" Empty mentions and notes: `[]`, `[ ]`, `[ ]{x}`, `[x]{}`, `[x]{ }`.
syn match transcriptEmptyMention /\[\s*\]\%({[^}]*}\)\=/
execute 'syn match transcriptEmptyMention /\[' . s:inner . '*\]{\s*}/'

" A backslash as the first character of a paragraph is always markup (it
" escapes a label: `\Note: text`; `\\[` starts a paragraph with a literal
" bracket). Defined after transcriptEscape so that it wins at that column.
execute 'syn match transcriptLabelEscape /' . s:para . '\\/'

" ---------------------------------------------------------------------------
" Header: from a first line `---` to the next line `---`. If the closing line
" is missing, a heading ends it.

syn region transcriptHeader matchgroup=transcriptHeaderDelim start=/\%^---\s*$/ end=/^---\s*$/ matchgroup=NONE end=/^\ze#\{1,6}\%(\s\|$\)/
      \ contains=transcriptHeaderComment,transcriptHeaderMalformed,transcriptHeaderBadKey,transcriptHeaderKey,transcriptHeaderExtKey,transcriptHeaderDateKey,transcriptHeaderSpeakerKey,@NoSpell

syn match transcriptHeaderComment /^\s*\/\/.*$/ contained contains=transcriptTodo
" A line that is not `key: value`.
syn match transcriptHeaderMalformed /^\%(---\s*$\|\s*\/\/\)\@!\s*[^:[:space:]][^:]*$/ contained
" Keys: lowercase ASCII letters, digits and `-`; anything else is an error.
syn match transcriptHeaderBadKey /^[^:]\+\ze:/ contained nextgroup=transcriptHeaderSep
syn match transcriptHeaderKey /^\s*[a-z0-9-]\+\s*\ze:/ contained nextgroup=transcriptHeaderSep
syn match transcriptHeaderExtKey /^\s*x-[a-z0-9-]*\s*\ze:/ contained nextgroup=transcriptHeaderSep
syn match transcriptHeaderSep /:\s*/ contained nextgroup=transcriptHeaderValue
syn match transcriptHeaderValue /.\+$/ contained contains=transcriptHeaderUrl
syn match transcriptHeaderUrl /\<https\=:\/\/\S\+/ contained
" date and time values.
syn match transcriptHeaderDateKey /^\s*\%(date\|time\)\s*\ze:/ contained nextgroup=transcriptHeaderDateSep
syn match transcriptHeaderDateSep /:\s*/ contained nextgroup=transcriptHeaderDate
syn match transcriptHeaderDate /.\+$/ contained
" speaker: Name (role)
syn match transcriptHeaderSpeakerKey /^\s*speaker\s*\ze:/ contained nextgroup=transcriptHeaderSpeakerSep
syn match transcriptHeaderSpeakerSep /:\s*/ contained nextgroup=transcriptHeaderSpeaker
syn match transcriptHeaderSpeaker /.\+$/ contained contains=transcriptHeaderRole
syn match transcriptHeaderRole /([^()]*)\s*$/ contained

" ---------------------------------------------------------------------------

hi def link transcriptHeaderDelim       PreProc
hi def link transcriptHeaderKey         Identifier
hi def link transcriptHeaderExtKey      Type
hi def link transcriptHeaderDateKey     transcriptHeaderKey
hi def link transcriptHeaderSpeakerKey  transcriptHeaderKey
hi def link transcriptHeaderBadKey      Error
hi def link transcriptHeaderMalformed   Error
hi def link transcriptHeaderSep         Delimiter
hi def link transcriptHeaderDateSep     transcriptHeaderSep
hi def link transcriptHeaderSpeakerSep  transcriptHeaderSep
hi def link transcriptHeaderValue       String
hi def link transcriptHeaderDate        Number
hi def link transcriptHeaderUrl         Underlined
hi def link transcriptHeaderSpeaker     transcriptSpeakerLabel
hi def link transcriptHeaderRole        transcriptAttribution
hi def link transcriptHeaderComment     transcriptComment

hi def link transcriptComment           Comment
hi def link transcriptTodo              Todo
hi def link transcriptHeading           Title
hi def link transcriptHeadingMarker     Delimiter
hi def link transcriptSpeakerLabel      Function
hi def link transcriptQuestionLabel     Statement
hi def link transcriptAttribution       Type
hi def link transcriptAttributionParen  Delimiter
hi def link transcriptLabelColon        Delimiter
hi def link transcriptLabelEscape       SpecialChar
hi def link transcriptEscape            SpecialChar
hi def link transcriptNote              SpecialComment
hi def link transcriptTimeCode          Number
hi def link transcriptMentionOpen       Delimiter
hi def link transcriptMentionMid        Delimiter
hi def link transcriptMentionClose      Delimiter
hi def link transcriptMentionSurface    Underlined
hi def link transcriptMentionRef        Identifier
hi def link transcriptUnclosed          Error
hi def link transcriptEmptyMention      Error

let b:current_syntax = 'transcript'

let &cpo = s:cpo_save
unlet s:cpo_save s:para s:word s:particle s:name s:after s:qlabels s:qalts s:inner
