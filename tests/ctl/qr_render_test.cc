// The terminal QR code: reading the half blocks back gives exactly
// qrencode's modules, with the quiet zone, in both colour modes.
#include "qr_render.h"

#include <qrencode.h>

#include <gtest/gtest.h>

namespace wacrm::ctl {
namespace {

constexpr std::string_view kQr =
    "https://wa.me/settings/linked_devices#2@abcDEF+/=,AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=,"
    "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=,AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=,1";

// Splits a rendered line into its cells (one UTF-8 character each), without escapes.
std::vector<std::string> cells(std::string line) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == '\x1b') {
      i = line.find('m', i) + 1;
      continue;
    }
    std::size_t n = (static_cast<unsigned char>(line[i]) & 0x80) ? 3 : 1;  // half blocks are 3 bytes
    out.push_back(line.substr(i, n));
    i += n;
  }
  return out;
}

// Which half of a cell shows the drawn colour.
std::pair<bool, bool> halves(const std::string& cell) {
  if (cell == "\u2588") return {true, true};
  if (cell == "\u2580") return {true, false};
  if (cell == "\u2584") return {false, true};
  EXPECT_EQ(cell, " ");
  return {false, false};
}

void expect_round_trip(QrColors colors) {
  std::string text(kQr);
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1);
  ASSERT_NE(code, nullptr);
  const int width = code->width, size = width + 4;
  auto lines = render_qr(kQr, colors);
  ASSERT_EQ(static_cast<int>(lines.size()), (size + 1) / 2);
  const bool drawn_is_dark = colors == QrColors::ansi_black_on_white;
  for (int row = 0; row < size; ++row) {
    auto line = cells(lines[row / 2]);
    ASSERT_EQ(static_cast<int>(line.size()), size);
    for (int col = 0; col < size; ++col) {
      auto [top, bottom] = halves(line[col]);
      bool drawn = row % 2 == 0 ? top : bottom;
      bool inside = row >= 2 && col >= 2 && row < width + 2 && col < width + 2;
      bool dark = inside && (code->data[(row - 2) * width + (col - 2)] & 1);
      EXPECT_EQ(drawn, dark == drawn_is_dark) << "module " << row << "," << col;
    }
  }
  QRcode_free(code);
}

TEST(QrRender, AnsiIsBlackModulesOnWhite) {
  expect_round_trip(QrColors::ansi_black_on_white);
  auto lines = render_qr(kQr, QrColors::ansi_black_on_white);
  EXPECT_EQ(lines[0].rfind("\x1b[30;107m", 0), 0u);
  EXPECT_NE(lines[0].find("\x1b[0m"), std::string::npos);
}

TEST(QrRender, PlainDrawsTheLightModules) {
  expect_round_trip(QrColors::plain_light_on_dark);
  for (const auto& line : render_qr(kQr, QrColors::plain_light_on_dark))
    EXPECT_EQ(line.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace wacrm::ctl
