// A QR code for the terminal: qrencode's modules drawn with Unicode half
// blocks, two module rows per text line, with a quiet zone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wacrm::ctl {

enum class QrColors {
  // Black modules on an explicitly white background (ANSI colours): scans
  // from a phone whatever the terminal's theme. For terminals.
  ansi_black_on_white,
  // No escape codes; light modules are drawn, for the usual light-on-dark
  // terminal (what `qrencode -t UTF8` does). For files and pipes.
  plain_light_on_dark,
};

// One string per text line; empty when the text does not fit a QR code.
std::vector<std::string> render_qr(std::string_view text, QrColors colors);

}  // namespace wacrm::ctl
