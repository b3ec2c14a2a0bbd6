#include "synth/phonemizer.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "synth/engine_espeak.hpp"

namespace tinykws::synth {

namespace {

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The child: one line with the number of unknown voices, those names, then
// one line per word.
[[noreturn]] void RunChild(int fd, const std::vector<std::string>& words,
                           const std::vector<std::string>& voices) {
  StatusOr<EspeakEngine*> engine = EspeakEngine::Get();
  if (!engine.ok()) {
    WriteAll(fd, "!" + engine.status().message() + "\n");
    _exit(1);
  }
  std::vector<std::string> unknown;
  for (const std::string& v : voices) {
    if (!(*engine)->SelectVoice(v).ok()) unknown.push_back(v);
  }
  std::string out = std::to_string(unknown.size()) + "\n";
  for (const std::string& v : unknown) out += v + "\n";
  if (!(*engine)->SelectVoice("en-us").ok()) {
    WriteAll(fd, "!espeak-ng: cannot select en-us\n");
    _exit(1);
  }
  for (const std::string& w : words) {
    std::string text = w;
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out += (*engine)->Phonemes(text) + "\n";
    if (out.size() > (1 << 16)) {
      if (!WriteAll(fd, out)) _exit(1);
      out.clear();
    }
  }
  if (!WriteAll(fd, out)) _exit(1);
  ::close(fd);
  _exit(0);
}

}  // namespace

StatusOr<PhonemizerResult> PhonemizeInChild(
    const std::vector<std::string>& words,
    const std::vector<std::string>& espeak_voices_to_check) {
  int fds[2];
  if (::pipe(fds) != 0) {
    return IoError(std::string("phonemizer: pipe: ") + std::strerror(errno));
  }
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return IoError(std::string("phonemizer: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    // Nothing may unwind out of the child into the parent's code.
    try {
      RunChild(fds[1], words, espeak_voices_to_check);
    } catch (...) {
      _exit(1);
    }
  }
  ::close(fds[1]);
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!text.empty() && text[0] == '!') {
    return IoError(text.substr(1, text.find('\n') - 1));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return IoError("phonemizer: the espeak-ng process failed (status " +
                   std::to_string(wstatus) + ")");
  }
  PhonemizerResult result;
  size_t pos = 0;
  auto next_line = [&](std::string* line) {
    const size_t end = text.find('\n', pos);
    if (end == std::string::npos) return false;
    *line = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  };
  std::string line;
  if (!next_line(&line)) return IoError("phonemizer: empty answer");
  const size_t unknown = std::strtoul(line.c_str(), nullptr, 10);
  for (size_t i = 0; i < unknown && next_line(&line); ++i) {
    result.unknown_voices.push_back(line);
  }
  result.phonemes.reserve(words.size());
  while (result.phonemes.size() < words.size() && next_line(&line)) {
    result.phonemes.push_back(line);
  }
  if (result.phonemes.size() != words.size()) {
    return IoError("phonemizer: expected phonemes for " +
                   std::to_string(words.size()) + " words, got " +
                   std::to_string(result.phonemes.size()));
  }
  return result;
}

}  // namespace tinykws::synth
