#pragma once
// Runs printing and status checks on its own worker thread, so the UI thread never waits
// for a printer. Results come back through a callback.
//
// Threads: submit(), reprint-by-submit, requestStatus() and the destructor may be called from
// any thread. The callback is called ON THE QUEUE'S WORKER THREAD, one event at a time, never
// while a queue lock is held: it must be quick and thread-safe (the UI posts the event to its
// main-thread queue and wakes the loop). It must not destroy the PrintQueue.
//
// A failed print loses nothing: the Receipt is plain data the caller still has; reprinting is
// another submit().
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "print/answer_slip.hpp"
#include "print/printer.hpp"
#include "print/receipt.hpp"
#include "print/receipt_renderer.hpp"

namespace platform::print {

using JobId = std::uint64_t;

struct PrintEvent {
    enum class Kind {
        Status,     // answer to requestStatus(): `status`
        Printed,    // job `job` printed: `report`
        Failed,     // job `job` failed: `error` (the UI keeps the code on screen)
        Cancelled,  // job `job` was still queued when the queue was destroyed
    };
    Kind kind;
    JobId job = 0;             // 0 for Status
    std::string trackingCode;  // of the job; empty for Status
    PrinterStatus status;      // Status: the answer; Printed/Failed: status before printing
    std::optional<PrintReport> report;
    std::optional<PrintError> error;
};

struct PrintQueueOptions {
    std::chrono::milliseconds statusTimeout{1000};
    std::chrono::milliseconds printTimeout{30000};
};

class PrintQueue {
public:
    using Callback = std::function<void(const PrintEvent&)>;

    // Starts the worker. `printer` and `renderer` are owned by the queue from now on.
    PrintQueue(std::unique_ptr<Printer> printer, ReceiptRenderer renderer, Callback callback,
               PrintQueueOptions options = {});
    // Finishes the job in progress (bounded by its timeout), reports the rest Cancelled,
    // joins the worker.
    ~PrintQueue();
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    // Queues a receipt to render and print; returns its id (never 0). Any thread.
    JobId submit(Receipt receipt);
    // Queues the published answer of a case (*In kết quả*); events as for a receipt. Any thread.
    JobId submit(AnswerSlip answer);
    // Queues a status check; the answer comes as a Status event. Any thread.
    void requestStatus();

private:
    struct Task {
        JobId id = 0;  // 0 = status check
        std::optional<Receipt> receipt;
        std::optional<AnswerSlip> answer;  // instead of a receipt
        const std::string& trackingCode() const {
            return receipt ? receipt->trackingCode : answer->trackingCode;
        }
    };
    JobId enqueue(Task task);
    void run();
    void process(const Task& task);

    std::unique_ptr<Printer> m_printer;
    ReceiptRenderer m_renderer;
    Callback m_callback;
    PrintQueueOptions m_options;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_tasks;
    JobId m_nextId = 1;
    bool m_stopping = false;
    std::thread m_worker;  // last: starts after everything above is constructed
};

}  // namespace platform::print
