// wasim's state across restarts (--state FILE): its Noise keys (so clients
// keep trusting the same root) and every account with its companions and
// keys. JSON, written atomically: FILE.tmp, fsync, rename, fsync directory.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "wasim/account.h"

namespace wacrm::wasim {

// Private halves of wasim's own Noise keys.
struct ServerKeys {
  Bytes root_private;
  Bytes intermediate_private;
  Bytes static_private;
};

struct State {
  ServerKeys server_keys;
  std::vector<Account> accounts;
};

// nullopt when the file does not exist yet; an error when it exists but
// cannot be read or parsed.
Result<std::optional<State>> load_state(const std::filesystem::path& file);
Status save_state(const std::filesystem::path& file, const State& state);

}  // namespace wacrm::wasim
