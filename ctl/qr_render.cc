#include "qr_render.h"

#include <qrencode.h>

#include <memory>

namespace wacrm::ctl {

namespace {

constexpr int kQuietZone = 2;  // modules of light border on each side

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::vector<std::string> render_qr(std::string_view text, QrColors colors) {
  std::string input(text);
  // Byte mode: the linking URL has lower-case letters (notes 01 §6.2).
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1));
  if (!code) return {};
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  auto dark = [&](int row, int col) {
    row -= kQuietZone;
    col -= kQuietZone;
    if (row < 0 || col < 0 || row >= width || col >= width) return false;
    return (code->data[row * width + col] & 1) != 0;
  };
  const bool ansi = colors == QrColors::ansi_black_on_white;
  std::vector<std::string> lines;
  for (int row = 0; row < size; row += 2) {
    std::string line = ansi ? "\x1b[30;107m" : "";
    for (int col = 0; col < size; ++col) {
      // In ANSI mode the drawn (foreground) colour is black; in plain mode it
      // is the terminal's light text colour, so light modules are drawn.
      bool top = dark(row, col) == ansi;
      bool bottom = (row + 1 < size && dark(row + 1, col)) == ansi;  // past the end: light
      if (top && bottom) line += "\u2588";
      else if (top) line += "\u2580";
      else if (bottom) line += "\u2584";
      else line += ' ';
    }
    if (ansi) line += "\x1b[0m";
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace wacrm::ctl
