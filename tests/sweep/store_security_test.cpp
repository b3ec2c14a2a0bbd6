// The sweep store's defences (issue: a store open to anyone, forged items
// deleting folders, forged results accepted, a non-number aborting the
// coordinator): signatures, strict ids, confinement, whole-number parsing,
// the store's authentication and its handling of hostile bytes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "../common/memory_channel.hpp"
#include "common/atomic_file.hpp"
#include "sweep/auth.hpp"
#include "sweep/kv_store.hpp"
#include "sweep/run_files.hpp"
#include "sweep/work_codec.hpp"

namespace tinykws::sweep {
namespace {

namespace fs = std::filesystem;
const std::string kSecret = "0123456789abcdef0123456789abcdef";

fs::path TempDir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() /
                     ("tinykws_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

ItemMessage Item(const std::string& id) {
  ItemMessage m;
  m.index = 3;
  m.item.trial = 1;
  m.item.seed_index = 0;
  m.item.epochs = 4;
  m.trial_id = id;
  m.config_toml = "x = 1\n";
  m.attempt = 2;
  return m;
}

TEST(MessageAuth, SignedMessagesVerifyOnlyUnderTheirSecretAndKey) {
  const std::string signed_bytes = Sign(kSecret, "item/3", "body\nfiles");
  StatusOr<std::string> body = Verify(kSecret, "item/3", signed_bytes);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, "body\nfiles");
  EXPECT_FALSE(
      Verify("another secret of 32 bytes......", "item/3", signed_bytes).ok());
  EXPECT_FALSE(Verify(kSecret, "item/4", signed_bytes).ok());  // replayed
  std::string altered = signed_bytes;
  altered.back() ^= 1;
  EXPECT_FALSE(Verify(kSecret, "item/3", altered).ok());
  EXPECT_FALSE(Verify(kSecret, "item/3", "body\nfiles").ok());  // unsigned
  EXPECT_FALSE(Verify(kSecret, "item/3", "").ok());
}

TEST(MessageAuth, TrialIdsFollowOnePattern) {
  for (const std::string id : {"t000", "t123", "reference", "seed_2-b", "A"}) {
    EXPECT_TRUE(IsValidTrialId(id)) << id;
  }
  for (const std::string& id :
       {std::string(""), std::string("../../X"), std::string("X\0", 2),
        std::string("."), std::string(".."), std::string("a/b"),
        std::string("-a"), std::string("_a"), std::string("a b"),
        std::string(65, 'a'), std::string("a\\b")}) {
    EXPECT_FALSE(IsValidTrialId(id)) << id;
  }
}

TEST(MessageAuth, NumbersFromTheStoreAreWholeIntegersInRange) {
  EXPECT_EQ(TakenRank("0"), 0);
  EXPECT_EQ(TakenRank("17"), 17);
  for (const char* bad : {"", "abc", "3x", " 3", "-1", "1e3", "4096",
                          "99999999999999999999999", "+1"}) {
    EXPECT_FALSE(TakenRank(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseInteger("-5", -10, 10), -5);
  EXPECT_FALSE(ParseInteger("11", -10, 10).has_value());
}

TEST(MessageAuth, CheckInsideResolvesDotsAndLinks) {
  const fs::path root = TempDir("inside");
  const fs::path outside = TempDir("outside");
  EXPECT_TRUE(CheckInside(root.string(), (root / "t001/seed0").string()).ok());
  EXPECT_FALSE(
      CheckInside(root.string(), (root / "../../X/seed0").string()).ok());
  fs::create_directory_symlink(outside, root / "link");
  EXPECT_FALSE(CheckInside(root.string(), (root / "link/seed0").string()).ok());
  fs::remove_all(root);
  fs::remove_all(outside);
}

TEST(MessageAuth, TokenFilesMustBePrivateAndLongEnough) {
  const fs::path dir = TempDir("token");
  const std::string path = (dir / "token").string();
  ASSERT_TRUE(WriteFileAtomically(path, kSecret + "\n").ok());
  chmod(path.c_str(), 0600);
  StatusOr<std::string> token = ReadTokenFile(path);
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(*token, kSecret);
  chmod(path.c_str(), 0644);
  EXPECT_NE(ReadTokenFile(path).status().message().find("readable by others"),
            std::string::npos);
  ASSERT_TRUE(WriteFileAtomically(path, "short\n").ok());
  chmod(path.c_str(), 0600);
  EXPECT_FALSE(ReadTokenFile(path).ok());
  EXPECT_FALSE(ReadTokenFile((dir / "absent").string()).ok());
  fs::remove_all(dir);
}

TEST(WorkCodec, ItemsRoundTripAndForgedOnesAreRefused) {
  ItemMessage back;
  ASSERT_TRUE(Decode(Encode(Item("t001"), kSecret), kSecret, 3, &back).ok());
  EXPECT_EQ(back.trial_id, "t001");
  EXPECT_EQ(back.attempt, 2);
  // Validly signed (a process holding the token), but hostile ids.
  for (const std::string& id :
       {std::string("../../X"), std::string("X\0", 2), std::string("")}) {
    EXPECT_FALSE(Decode(Encode(Item(id), kSecret), kSecret, 3, &back).ok())
        << id;
  }
  // Without the token; under another index.
  EXPECT_FALSE(Decode(Encode(Item("t001"), "wrong secret, 32 bytes long...."),
                      kSecret, 3, &back)
                   .ok());
  EXPECT_FALSE(Decode(Encode(Item("t001"), kSecret), kSecret, 4, &back).ok());
  ItemMessage negative = Item("t001");
  negative.item.seed_index = -1;
  EXPECT_FALSE(Decode(Encode(negative, kSecret), kSecret, 3, &back).ok());
  // Numbers that are no ints: a float far outside int (converting it was
  // undefined behaviour, found by sweep_fuzz), text, 2^40.
  const std::string good = Encode(Item("t001"), kSecret);
  const std::string header = good.substr(good.find('\n') + 1);
  for (const char* value : {"1e44", "\"0\"", "1099511627776", "0.5"}) {
    std::string forged = header;
    const size_t at = forged.find("\"seed_index\":0");
    ASSERT_NE(at, std::string::npos) << forged;
    forged.replace(at, 14, std::string("\"seed_index\":") + value);
    EXPECT_FALSE(
        Decode(Sign(kSecret, keys::Item(3), forged), kSecret, 3, &back).ok())
        << value;
  }
}

TEST(WorkCodec, AResultMustAnswerThePublishedItem) {
  const ItemMessage item = Item("t001");
  ResultMessage r;
  r.index = 3;
  r.trial_id = "t001";
  r.seed_index = 0;
  r.epochs = 4;
  r.attempt = 2;
  r.result.ok = true;
  r.result.rank = 1;
  r.result.val_int8 = 0.999;
  ResultMessage back;
  ASSERT_TRUE(Decode(Encode(r, kSecret), kSecret, 3, &back).ok());
  EXPECT_TRUE(Answers(item, back).ok());
  EXPECT_DOUBLE_EQ(back.result.val_int8, 0.999);
  // Forged: unsigned, another trial, an earlier attempt, another index.
  EXPECT_FALSE(
      Decode(Encode(r, "forger's own secret, 32 bytes..."), kSecret, 3, &back)
          .ok());
  for (auto change : {+[](ResultMessage* m) { m->trial_id = "t002"; },
                      +[](ResultMessage* m) { m->attempt = 1; },
                      +[](ResultMessage* m) { m->epochs = 8; }}) {
    ResultMessage forged = r;
    change(&forged);
    ASSERT_TRUE(Decode(Encode(forged, kSecret), kSecret, 3, &back).ok());
    EXPECT_FALSE(Answers(item, back).ok());
  }
  EXPECT_FALSE(Decode(Encode(r, kSecret), kSecret, 2, &back).ok());
}

TEST(RunFiles, OnlyTheAllowedNamesAreWrittenAndNothingOnARefusal) {
  const fs::path dir = TempDir("unpack");
  ASSERT_TRUE(
      WriteFileAtomically((dir / "src/model.kws").string(), "m").ok() ||
      (fs::create_directories(dir / "src"),
       WriteFileAtomically((dir / "src/model.kws").string(), "m").ok()));
  ASSERT_TRUE(WriteFileAtomically((dir / "src/evil").string(), "e").ok());
  StatusOr<std::string> packed =
      PackFiles((dir / "src").string(), {"model.kws", "evil"});
  ASSERT_TRUE(packed.ok());
  EXPECT_FALSE(
      UnpackFiles(*packed, (dir / "dst").string(), {"model.kws"}).ok());
  EXPECT_FALSE(fs::exists(dir / "dst/model.kws"));  // refused as a whole
  ASSERT_TRUE(
      UnpackFiles(*packed, (dir / "dst").string(), {"model.kws", "evil"}).ok());
  EXPECT_TRUE(fs::exists(dir / "dst/evil"));
  fs::remove_all(dir);
}

TEST(KvStore, ListensOnLoopbackOnlyAndAdmitsOnlyTheToken) {
  StatusOr<std::unique_ptr<KvServer>> server =
      KvServer::Start("127.0.0.1", 0, kSecret);
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_EQ((*server)->bound_address(), "127.0.0.1");
  EXPECT_GT((*server)->port(), 0);
  const int port = (*server)->port();
  StatusOr<std::unique_ptr<KvClient>> client =
      KvClient::Connect("127.0.0.1", port, kSecret, 2000);
  ASSERT_TRUE(client.ok()) << client.status().message();
  ASSERT_TRUE((*client)->Set("a", std::string("x\0y", 3)).ok());
  EXPECT_EQ(*(*client)->Get("a"), std::string("x\0y", 3));
  EXPECT_EQ((*client)->Get("b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*(*client)->Add("n", 5), 5);
  EXPECT_EQ(*(*client)->Add("n", -2), 3);
  EXPECT_EQ(*(*client)->Get("n"), "3");
  EXPECT_TRUE(*(*client)->Exists("n"));
  EXPECT_EQ(*(*client)->NumKeys(), 2);
  EXPECT_EQ(*(*client)->CompareSet("c", "", "1"), "1");
  EXPECT_EQ(*(*client)->CompareSet("c", "0", "2"), "1");
  EXPECT_TRUE(*(*client)->Delete("a"));
  EXPECT_FALSE(*(*client)->Delete("a"));
  // A non-number counter is a refused request, not a crash, and the
  // connection goes on.
  ASSERT_TRUE((*client)->Set("bad", "abc").ok());
  EXPECT_FALSE((*client)->Add("bad", 1).ok());
  EXPECT_EQ(*(*client)->Get("n"), "3");

  StatusOr<std::unique_ptr<KvClient>> intruder = KvClient::Connect(
      "127.0.0.1", port, "wrong token, but 32 bytes long..", 2000);
  ASSERT_FALSE(intruder.ok());
  EXPECT_NE(intruder.status().message().find("refused"), std::string::npos);
  StatusOr<std::unique_ptr<KvClient>> tokenless =
      KvClient::Connect("127.0.0.1", port, "", 2000);
  EXPECT_FALSE(tokenless.ok());

  // Raw hostile bytes, before and instead of the proof: the connection is
  // dropped and the store goes on serving.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string junk(100, '\xff');
  EXPECT_EQ(send(fd, junk.data(), junk.size(), MSG_NOSIGNAL), 100);
  char buffer[256];
  ssize_t n = 0, total = 0;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) total += n;
  EXPECT_EQ(total, 44);  // the challenge only, then the store hung up
  close(fd);
  EXPECT_EQ(*(*client)->Get("n"), "3");
}

TEST(KvStore, SilentPeersHoldOnlyTheHandshakeSlots) {
  StatusOr<std::unique_ptr<KvServer>> server =
      KvServer::Start("127.0.0.1", 0, kSecret);
  ASSERT_TRUE(server.ok());
  const int port = (*server)->port();
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<int> silent;
  for (int i = 0; i < kMaxPendingHandshakes; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    silent.push_back(fd);
  }
  usleep(200 * 1000);  // the server has accepted them all
  // Every handshake slot is taken: a process with the token is turned
  // away (it retries until its timeout)...
  EXPECT_FALSE(KvClient::Connect("127.0.0.1", port, kSecret, 500).ok());
  for (int fd : silent) close(fd);
  // ...and admitted once the silent peers are gone.
  EXPECT_TRUE(KvClient::Connect("127.0.0.1", port, kSecret, 5000).ok());
}

TEST(KvStore, IsLoopbackHostTellsLoopbackFromOtherAddresses) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.0.2.1"));
}

// Requests through a memory channel (the fuzz target's path): an unknown
// request is refused and the connection goes on; an oversized one ends it.
using testing::MemoryChannel;

std::string Request(uint8_t op, const std::string& key, uint32_t value_size,
                    const std::string& value) {
  std::string r(1, static_cast<char>(op));
  for (uint32_t v : {static_cast<uint32_t>(key.size()), value_size}) {
    for (int i = 0; i < 4; ++i) r += static_cast<char>(v >> (8 * i));
  }
  return r + key + value;
}

TEST(KvStore, HostileRequestsEndTheConnectionWithoutHarm) {
  const std::string nonce(32, 'n');
  const std::string proof =
      HmacSha256(kSecret, "tinykws-store-1 client\n" + nonce);
  KvState state;
  {
    MemoryChannel c(proof + Request(KvState::kSet, "k", 1, "v") +
                    Request(99, "k", 0, "") +
                    Request(KvState::kSet, "after", 1, "v"));
    ServeConnection(c, state, kSecret, nonce);
    // Challenge (44), admitted (1), three replies (5 each).
    EXPECT_EQ(c.out().size(), 44u + 1 + 3 * 5);
  }
  {
    // Claims 4 GiB; nothing that large is allocated or read, and the
    // connection ends (the bytes after it are not a request).
    MemoryChannel c(proof + Request(KvState::kSet, "k", 0xffffffffu, "") +
                    Request(KvState::kSet, "later", 1, "v"));
    ServeConnection(c, state, kSecret, nonce);
    EXPECT_EQ(c.out().size(), 44u + 1 + 5);
    EXPECT_EQ(c.out()[45], static_cast<char>(KvState::kBadRequest));
  }
  std::string payload;
  EXPECT_EQ(state.Apply(KvState::kGet, "k", "", &payload), KvState::kOk);
  EXPECT_EQ(payload, "v");
  EXPECT_EQ(state.Apply(KvState::kGet, "after", "", &payload), KvState::kOk);
  EXPECT_EQ(state.Apply(KvState::kGet, "later", "", &payload),
            KvState::kAbsent);
  MemoryChannel unproven(std::string(32, 'x') +
                         Request(KvState::kSet, "x", 1, "v"));
  ServeConnection(unproven, state, kSecret, nonce);
  EXPECT_EQ(state.Apply(KvState::kGet, "x", "", &payload), KvState::kAbsent);
}

}  // namespace
}  // namespace tinykws::sweep
