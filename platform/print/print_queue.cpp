#include "print/print_queue.hpp"

namespace platform::print {

PrintQueue::PrintQueue(std::unique_ptr<Printer> printer, ReceiptRenderer renderer,
                       Callback callback, PrintQueueOptions options)
    : m_printer(std::move(printer)),
      m_renderer(std::move(renderer)),
      m_callback(std::move(callback)),
      m_options(options),
      m_worker([this] { run(); }) {}

PrintQueue::~PrintQueue() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_worker.join();
}

JobId PrintQueue::submit(Receipt receipt) {
    return enqueue(Task{0, std::move(receipt), std::nullopt});
}

JobId PrintQueue::submit(AnswerSlip answer) {
    return enqueue(Task{0, std::nullopt, std::move(answer)});
}

JobId PrintQueue::enqueue(Task task) {
    JobId id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        task.id = id;
        m_tasks.push_back(std::move(task));
    }
    m_wake.notify_one();
    return id;
}

void PrintQueue::requestStatus() {
    {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(Task{0, std::nullopt, std::nullopt});
    }
    m_wake.notify_one();
}

void PrintQueue::run() {
    while (true) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_stopping) {
                // Reported from this thread too, as the header promises.
                std::deque<Task> left;
                left.swap(m_tasks);
                lock.unlock();
                for (const Task& t : left) {
                    if (t.id == 0) continue;
                    m_callback(PrintEvent{PrintEvent::Kind::Cancelled,
                                          t.id,
                                          t.trackingCode(),
                                          {},
                                          std::nullopt,
                                          std::nullopt});
                }
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        process(task);
    }
}

void PrintQueue::process(const Task& task) {
    if (task.id == 0) {
        PrintEvent e{PrintEvent::Kind::Status,
                     0,
                     {},
                     m_printer->status(m_options.statusTimeout),
                     std::nullopt,
                     std::nullopt};
        m_callback(e);
        return;
    }
    PrintEvent e{
        PrintEvent::Kind::Failed, task.id, task.trackingCode(), {}, std::nullopt, std::nullopt};
    auto raster = task.receipt
                      ? m_renderer.render(*task.receipt, m_printer->renderOptions())
                      : renderAnswerSlip(m_renderer, *task.answer, m_printer->renderOptions());
    if (!raster) {
        e.error = PrintError{PrintError::Kind::Render, {}, raster.error().detail};
        m_callback(e);
        return;
    }
    auto result =
        m_printer->print(PrintJob{task.trackingCode(), std::move(*raster)}, m_options.printTimeout);
    if (result) {
        e.kind = PrintEvent::Kind::Printed;
        e.status = result->statusBefore;
        e.report = std::move(*result);
    } else {
        e.status = result.error().status;
        e.error = result.error();
    }
    m_callback(e);
}

}  // namespace platform::print
