// wacrmctl's exit codes (also in --help and wacrmctl(1)).
#pragma once

namespace wacrm::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;        // the daemon answered with an error, or confirmation declined
inline constexpr int kExitUsage = 2;         // bad command line
inline constexpr int kExitUnreachable = 3;   // wacrmd not running, or no answer in time
inline constexpr int kExitDenied = 4;        // not root and not in the control group

inline constexpr const char* kExitCodeHelp =
    "Exit status:\n"
    "  0  success\n"
    "  1  the request failed (the daemon's message says why), or confirmation declined\n"
    "  2  usage error\n"
    "  3  wacrmd is not running or did not answer in time\n"
    "  4  permission denied (only root and members of wacrmd's control group, 'wacrm' unless\n"
    "     control.group says otherwise, may administer)\n";

}  // namespace wacrm::ctl
