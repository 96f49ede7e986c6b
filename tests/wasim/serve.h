// `wasim serve`: wires the world, the WebSocket and admin listeners, signals
// and the ready line, then runs the io_context until shutdown.
#pragma once

#include "wasim/server_options.h"

namespace wacrm::wasim {

// Returns the process exit code.
int run_serve(const ServerOptions& options);

}  // namespace wacrm::wasim
