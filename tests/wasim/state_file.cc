#include "wasim/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "wasim/account_json.h"

namespace wacrm::wasim {

namespace {

constexpr int kFormatVersion = 1;

Status write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(Errc::unavailable, "cannot write '" + path + "': " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Status fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::unavailable, "cannot open '" + path.string() + "': " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(Errc::unavailable, "cannot fsync '" + path.string() + "': " + std::strerror(errno));
  return {};
}

}  // namespace

Result<std::optional<State>> load_state(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<State>();
  std::ifstream in(file);
  if (!in) return make_error(Errc::unavailable, "cannot read state file '" + file.string() + "'");
  Json json = Json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return make_error(Errc::malformed, "state file '" + file.string() + "' is not a JSON object");
  if (json.value("format", 0) != kFormatVersion)
    return make_error(Errc::unsupported, "state file '" + file.string() + "' has an unknown format");
  State state;
  const Json keys = json.value("server_keys", Json::object());
  auto root = hex_field(keys, "root_private", 32);
  auto intermediate = hex_field(keys, "intermediate_private", 32);
  auto static_key = hex_field(keys, "static_private", 32);
  if (!root || !intermediate || !static_key)
    return make_error(Errc::malformed, "state file '" + file.string() + "': server keys are missing or malformed");
  state.server_keys = {std::move(*root), std::move(*intermediate), std::move(*static_key)};
  for (const auto& entry : json.value("accounts", Json::array())) {
    auto account = account_from_state(entry);
    if (!account) return make_error(Errc::malformed, "state file '" + file.string() + "': " + account.error().message);
    state.accounts.push_back(std::move(*account));
  }
  return std::optional<State>(std::move(state));
}

Status save_state(const std::filesystem::path& file, const State& state) {
  Json accounts = Json::array();
  for (const auto& account : state.accounts) accounts.push_back(account_to_state(account));
  Json json = {{"format", kFormatVersion},
               {"server_keys",
                {{"root_private", to_hex(state.server_keys.root_private)},
                 {"intermediate_private", to_hex(state.server_keys.intermediate_private)},
                 {"static_private", to_hex(state.server_keys.static_private)}}},
               {"accounts", std::move(accounts)}};
  std::string text = json.dump(1);
  text.push_back('\n');

  std::filesystem::path tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::unavailable, "cannot create '" + tmp.string() + "': " + std::strerror(errno));
  Status written = write_all(fd, text, tmp.string());
  if (written && ::fsync(fd) != 0)
    written = make_error(Errc::unavailable, "cannot fsync '" + tmp.string() + "': " + std::strerror(errno));
  ::close(fd);
  if (!written) return written;
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    return make_error(Errc::unavailable, "cannot rename '" + tmp.string() + "': " + std::strerror(errno));
  std::filesystem::path dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace wacrm::wasim
