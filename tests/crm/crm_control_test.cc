// The CRM through its real doors: wacrmctl's command line (run_cli) talking
// over a Unix socket to a ControlServer whose crm.* methods run on a PgPool
// against PostgreSQL.
#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "cli.h"
#include "control/control_server.h"
#include "control/crm_methods.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "crm/crm_store_fixture.h"
#include "exit_codes.h"

namespace wacrm::testing {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

class CrmControlTest : public CrmStoreTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wacrm-crm-ctl-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::vector<store::PgConnection> conns;
    conns.push_back(db_.connect());
    pool_ = std::make_unique<store::PgPool>(std::move(conns));
    runner_ = std::make_unique<control::PoolRunner>(*pool_, io_.get_executor());
    crm::CrmSettings settings;
    settings.export_chunk_bytes = 4096;   // several chunks even for a small chat
    control::register_crm_methods(methods_, *runner_, settings);
    thread_ = std::thread([this] { io_.run(); });
    control::ControlServerOptions options;
    options.socket_path = dir_ / "wacrmd.sock";
    options.group = "no-such-group-wacrm-test";
    std::promise<Status> started;
    asio::post(io_, [&] {
      server_ = std::make_unique<control::ControlServer>(io_, methods_, options);
      started.set_value(server_->start());
    });
    auto status = started.get_future().get();
    ASSERT_TRUE(status) << status.error().to_string();
  }

  void TearDown() override {
    std::promise<void> stopped;
    asio::post(io_, [&] {
      server_.reset();
      stopped.set_value();
    });
    stopped.get_future().get();
    pool_->shutdown();
    work_.reset();
    io_.stop();
    thread_.join();
    fs::remove_all(dir_);
  }

  struct Run {
    int code;
    std::string out, err;
  };
  Run ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"wacrmctl", "--socket", (dir_ / "wacrmd.sock").string()});
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int code = ctl::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
  }

  fs::path dir_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<control::PoolRunner> runner_;
  control::MethodTable methods_;
  std::unique_ptr<control::ControlServer> server_;
};

TEST_F(CrmControlTest, PendingAndUnknownNames) {
  auto bob = h_.person("Bob Marley", "4915112345678");
  h_.in(h_.chat_of(bob), std::chrono::system_clock::now() - 3h, "jamming tonight?");
  auto pending = ctl({"pending"});
  ASSERT_EQ(pending.code, ctl::kExitOk) << pending.err;
  EXPECT_NE(pending.out.find("Bob Marley (+4915112345678)"), std::string::npos) << pending.out;
  EXPECT_NE(pending.out.find("< jamming tonight?"), std::string::npos) << pending.out;

  auto typo = ctl({"contact", "show", "Bob Marly"});
  EXPECT_EQ(typo.code, ctl::kExitFailed);
  EXPECT_NE(typo.err.find("Did you mean: Bob Marley (4915112345678@s.whatsapp.net)"), std::string::npos) << typo.err;

  auto json = ctl({"--json", "pending"});
  ASSERT_EQ(json.code, ctl::kExitOk);
  EXPECT_NE(json.out.find("\"unanswered\": 1"), std::string::npos) << json.out;
}

TEST_F(CrmControlTest, RemindWithOptionValuesAfterTheName) {
  h_.person("Bob", "4915112345678");
  auto r = ctl({"remind", "bob", "--in", "3d", "call", "about", "the", "flat"});
  ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
  EXPECT_NE(r.out.find("about Bob (+4915112345678)"), std::string::npos) << r.out;
  EXPECT_EQ(h_.sql("SELECT body FROM reminders"), "call about the flat");
  auto bad = ctl({"remind", "bob", "--in", "3x"});
  EXPECT_EQ(bad.code, ctl::kExitFailed);
  EXPECT_NE(bad.err.find("2h30m"), std::string::npos) << bad.err;
  auto list = ctl({"remind", "list"});
  EXPECT_NE(list.out.find("call about the flat"), std::string::npos) << list.out;
}

TEST_F(CrmControlTest, ExportStreamsToAFile) {
  auto bob = h_.person("Bob", "4915112345678");
  h_.sql("INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
         "SELECT " + std::to_string(h_.account_id()) + ", " + std::to_string(h_.chat_of(bob)) +
         ", 'E' || i, 'x', i % 2 = 0, '2024-01-01T00:00:00Z'::timestamptz + i * interval '1 minute', 'text', "
         "'line ' || i FROM generate_series(1, 1000) i");
  auto file = (dir_ / "bob.csv").string();
  auto r = ctl({"export", "bob", "--format", "csv", "-o", file});
  ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
  EXPECT_NE(r.err.find("Exported 1000 messages"), std::string::npos) << r.err;
  std::ifstream in(file);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 1001);
}

TEST_F(CrmControlTest, SearchHelpAndJson) {
  auto help = ctl({"search", "--help"});
  EXPECT_EQ(help.code, ctl::kExitOk);
  EXPECT_NE(help.out.find("--contact"), std::string::npos);
  auto bob = h_.person("Bob", "4915112345678");
  h_.in(h_.chat_of(bob), kNow, "Grüße aus Köln");
  auto r = ctl({"--json", "search", "koln", "--contact", "bob"});
  ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"text\": \"Köln\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wacrm::testing
