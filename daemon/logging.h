// wacrmd's logging set-up (spdlog). Under systemd, where stderr goes to the
// journal, lines carry a "<N>" syslog-priority prefix and no timestamp (the
// journal adds its own); elsewhere they look like ordinary console logs.
#pragma once

#include <string>

#include <spdlog/common.h>

namespace wacrm::daemon {

// True when stderr is the journal stream systemd announced in JOURNAL_STREAM
// ("<device>:<inode>" of the stream, per systemd.exec(5)).
bool stderr_is_journal();

// syslog(3) priority for a level: debug 7, info 6, warn 4, error 3, critical 2.
int syslog_priority(spdlog::level::level_enum level);

// Installs the default logger on stderr; journal format when journal is true.
void setup_logging(bool journal, const std::string& level);
// "trace".."off"; unknown names leave the level unchanged and return false.
bool set_log_level(const std::string& level);

}  // namespace wacrm::daemon
