#pragma once
// `kioskctl ime telex|vni|simple|off [--new-style]`: a debugging tool for support staff and a
// way for tests to drive the engine. Thread-safety: a pure function of its arguments.
//
// Input: one keystroke sequence per line (UTF-8). Each line starts from an empty field; at the
// end of the line the word being typed is ended (as a word break would), and the resulting
// text is printed as one output line.
//   - Every character is one key, passed to Engine::typeChar (letters, digits, punctuation,
//     space; a character the field refuses is ignored).
//   - Named keys in angle brackets (case-sensitive):
//       <BS> Backspace   <DEL> Delete   <LEFT> <RIGHT> <HOME> <END> cursor keys
//       <ENTER> a line break inside the text   <SP> a space   <lt> a literal '<'
//       tone buttons:  <sac> <huyen> <hoi> <nga> <nang> <xoa>   (<xoa> removes the tone)
//       shape buttons: <â> <ê> <ô> <ă> <ơ> <ư> <đ>, or in ASCII <aa> <ee> <oo> <aw> <ow> <uw> <dd>;
//                      upper-case forms (<Â> <AA> ...) insert an upper-case letter when the
//                      button has no letter to change.
//     A '<' that does not start one of these names is a literal '<'.
//   - The control character U+0008 (a real backspace byte) is also Backspace.
//   - A trailing '\r' (CRLF input) is ignored.
// Output: the text of each line, with '\' written as "\\" and a line break as "\n", so that
// one input line always gives one output line.
// Returns 0; 2 for an unknown mode (message on `err`); 1 if some line was not valid UTF-8
// (that line prints empty and `err` names its line number, never its content).
#include <iosfwd>
#include <string_view>

namespace kiosk::input {

int runImeCli(std::string_view mode, bool newStyle, std::istream& in, std::ostream& out,
              std::ostream& err);

}  // namespace kiosk::input
