#pragma once
// Speech (espeak-ng): reads the current screen's instruction, and a tracking code character
// by character the Vietnamese way. Off by default (SpeechOptions::enabled).
//
// Threads: espeak-ng has one engine per process; every Speaker serialises on it, so two
// Speakers never synthesise at once. say() blocks until the sound has been handed to the sink
// (for the device sink: until it has been played): call it from a speech thread, never the UI
// thread (SpeechWorker does that). stop() may be called from any thread.
#include <atomic>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace platform::tts {

enum class SpeechError {
    Disabled,           // speech is off in the config
    EngineUnavailable,  // espeak-ng could not start (data files missing)
    VoiceUnavailable,   // the configured voice is not installed
    SynthesisFailed,
    Interrupted,  // stop() was called
    AudioDevice,  // the sound card could not be opened or written
    Io,           // the WAV file could not be written
};
// "tts.unavailable" for every error but Disabled/Interrupted (which the UI does not show).
std::string messageKey(SpeechError error);

struct SpeechOptions {
    bool enabled = false;
    std::string voice = "vi-vn-x-south";  // or "vi", "vi-vn-x-central"
    int rateWpm = 140;                    // espeak default is 175; slower for elderly listeners
    int volume = 100;                     // 0..200
};

// Where synthesised sound goes.
class AudioSink {
public:
    virtual ~AudioSink() = default;
    // Plays or stores mono signed 16-bit samples. Blocks until done.
    virtual std::expected<void, SpeechError> play(std::span<const std::int16_t> samples,
                                                  int sampleRate) = 0;
};

// Writes each utterance as a WAV file (replacing the previous one). For tests and previews.
class WavFileSink final : public AudioSink {
public:
    explicit WavFileSink(std::filesystem::path path) : m_path(std::move(path)) {}
    std::expected<void, SpeechError> play(std::span<const std::int16_t> samples,
                                          int sampleRate) override;

private:
    std::filesystem::path m_path;
};

// The default audio device (PulseAudio or ALSA, through pcaudiolib). Opened per utterance,
// so a device that appears later works.
class DeviceSink final : public AudioSink {
public:
    std::expected<void, SpeechError> play(std::span<const std::int16_t> samples,
                                          int sampleRate) override;
};

class Speaker {
public:
    // Starts the engine (once per process) and checks the voice. Errors: EngineUnavailable,
    // VoiceUnavailable. A disabled Speaker is created without touching the engine.
    static std::expected<std::unique_ptr<Speaker>, SpeechError> create(
        SpeechOptions options, std::unique_ptr<AudioSink> sink);

    // Speaks UTF-8 text (made NFC). Errors: Disabled, SynthesisFailed, Interrupted, and the
    // sink's errors. Empty text succeeds silently.
    std::expected<void, SpeechError> say(std::string_view text);
    // Synthesises without playing (mono 16-bit at sampleRate()).
    std::expected<std::vector<std::int16_t>, SpeechError> synthesise(std::string_view text);
    // Interrupts the synthesis in progress (the sink finishes what it already has). Any thread.
    void stop() { m_stop = true; }

    int sampleRate() const { return m_sampleRate; }
    const SpeechOptions& options() const { return m_options; }

private:
    Speaker(SpeechOptions options, std::unique_ptr<AudioSink> sink, int sampleRate)
        : m_options(std::move(options)), m_sink(std::move(sink)), m_sampleRate(sampleRate) {}

    SpeechOptions m_options;
    std::unique_ptr<AudioSink> m_sink;
    int m_sampleRate = 0;
    std::atomic<bool> m_stop{false};
};

// How a tracking code is read aloud: letters by their Vietnamese names, digits one by one,
// a pause at each dash. "PAKN-7K3M-000123-X" ->
//   "pê, a, ca, en nờ. bảy, ca, ba, em mờ. không, không, không, một, hai, ba. ích xì."
// Pure; characters other than A-Z, 0-9 and '-' are skipped.
std::string spellTrackingCode(std::string_view code);

}  // namespace platform::tts
