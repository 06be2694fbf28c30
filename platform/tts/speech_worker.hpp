#pragma once
// Runs a Speaker on its own thread so the UI never waits for speech.
//
// Threads: speak(), cancel() and the destructor may be called from any thread. A new speak()
// replaces anything not yet started and interrupts the utterance in progress (a resident who
// taps "read again" wants it now, not after the previous one). The callback runs ON THE
// WORKER THREAD after each utterance, with no lock held; it must be quick and thread-safe.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tts/speaker.hpp"

namespace platform::tts {

struct SpeechEvent {
    std::uint64_t request = 0;         // as returned by speak()
    std::optional<SpeechError> error;  // nullopt = spoken
};

class SpeechWorker {
public:
    using Callback = std::function<void(const SpeechEvent&)>;
    SpeechWorker(std::unique_ptr<Speaker> speaker, Callback callback);
    ~SpeechWorker();  // interrupts, joins
    SpeechWorker(const SpeechWorker&) = delete;
    SpeechWorker& operator=(const SpeechWorker&) = delete;

    // Queues text to speak; returns a request id (never 0).
    std::uint64_t speak(std::string text);
    // Drops the pending request and interrupts the current one.
    void cancel();

private:
    void run();

    std::unique_ptr<Speaker> m_speaker;
    Callback m_callback;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<std::pair<std::uint64_t, std::string>> m_pending;
    std::uint64_t m_nextId = 1;
    bool m_stopping = false;
    std::thread m_thread;  // last: starts after the members above exist
};

}  // namespace platform::tts
