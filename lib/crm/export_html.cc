// HTML: one self-contained page (inline style, no scripts, no external
// resources), every piece of text escaped; my messages on the right.
#include <fmt/format.h>

#include "crm/export_writer.h"

namespace wacrm::crm {

namespace {

void escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
    "background:#f4f4f0;color:#222}\n"
    ".m{margin:.4rem 0;padding:.4rem .7rem;border-radius:.5rem;background:#fff;max-width:80%;width:fit-content}\n"
    ".m.out{margin-left:auto;background:#dcf8c6}\n"
    ".meta{font-size:.75rem;color:#666}\n"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere}\n";

class HtmlWriter final : public ExportWriter {
 public:
  void begin(const ExportInfo& info, std::string& out) override {
    out += "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Conversation with ";
    escaped(out, info.title);
    out += "</title>\n<style>\n";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<h1>Conversation with ";
    escaped(out, info.title);
    out += "</h1>\n<p class=\"meta\">Times in ";
    escaped(out, info.time_zone);
    out += ".</p>\n";
  }

  void message(const store::ExportMessage& m, std::string& out) override {
    out += m.from_me ? "<div class=\"m out\">" : "<div class=\"m in\">";
    out += "<div class=\"meta\">";
    escaped(out, m.sender);
    out += " · <time datetime=\"";
    escaped(out, m.local_time);
    out += "\">";
    escaped(out, wall_clock_of(m.local_time));
    out += "</time></div><div class=\"text\">";
    escaped(out, describe_content(m));
    out += "</div></div>\n";
  }

  void end(std::string& out) override { out += "</body>\n</html>\n"; }
};

}  // namespace

std::unique_ptr<ExportWriter> make_html_writer() { return std::make_unique<HtmlWriter>(); }

}  // namespace wacrm::crm
