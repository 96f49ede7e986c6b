#include "signal/address.h"

namespace wacrm::signal {

std::string Address::to_string() const { return name + ":" + std::to_string(device); }

static Result<std::string_view> domain_suffix(std::string_view server) {
  if (server == "s.whatsapp.net" || server == "c.us") return std::string_view();
  if (server == "lid") return std::string_view("_1");
  if (server == "hosted") return std::string_view("_128");
  if (server == "hosted.lid") return std::string_view("_129");
  return make_error(Errc::invalid_argument,
                    "server '" + std::string(server) + "' does not hold Signal devices");
}

Result<Address> signal_address_for(std::string_view user, std::string_view server, int device) {
  if (user.empty() || user.find_first_of("_:@.") != std::string_view::npos)
    return make_error(Errc::invalid_argument, "bad JID user '" + std::string(user) + "' for a Signal address");
  if (device < 0 || device > 65535)
    return make_error(Errc::invalid_argument, "device " + std::to_string(device) + " out of range 0..65535");
  std::string_view suffix = WACRM_TRY(domain_suffix(server));
  return Address{std::string(user) + std::string(suffix), device};
}

}  // namespace wacrm::signal
