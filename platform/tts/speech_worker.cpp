#include "tts/speech_worker.hpp"

namespace platform::tts {

SpeechWorker::SpeechWorker(std::unique_ptr<Speaker> speaker, Callback callback)
    : m_speaker(std::move(speaker)), m_callback(std::move(callback)), m_thread([this] { run(); }) {}

SpeechWorker::~SpeechWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_pending.reset();
    }
    m_speaker->stop();
    m_wake.notify_all();
    m_thread.join();
}

std::uint64_t SpeechWorker::speak(std::string text) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        m_pending = std::make_pair(id, std::move(text));
    }
    m_speaker->stop();
    m_wake.notify_one();
    return id;
}

void SpeechWorker::cancel() {
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
    }
    m_speaker->stop();
}

void SpeechWorker::run() {
    while (true) {
        std::pair<std::uint64_t, std::string> request;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || m_pending.has_value(); });
            if (m_stopping) return;
            request = std::move(*m_pending);
            m_pending.reset();
        }
        SpeechEvent event{request.first, std::nullopt};
        if (auto r = m_speaker->say(request.second); !r) event.error = r.error();
        m_callback(event);
    }
}

}  // namespace platform::tts
