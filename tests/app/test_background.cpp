// The kiosk's one background worker: order, bound, shutdown, a throwing job.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "app/background.hpp"

using kiosk::app::BackgroundWorker;
using namespace std::chrono_literals;

namespace {

// A gate a job waits at until the test opens it.
struct Gate {
    std::promise<void> open;
    std::shared_future<void> opened = open.get_future().share();
    std::promise<void> reached;
};

}  // namespace

TEST_CASE("background jobs run one at a time, in the order posted, off the posting thread") {
    std::mutex m;
    std::vector<int> order;
    std::vector<std::thread::id> threads;
    std::promise<void> done;
    {
        BackgroundWorker worker(16);
        for (int i = 0; i < 10; ++i)
            REQUIRE(worker.post([&, i] {
                std::lock_guard lock(m);
                order.push_back(i);
                threads.push_back(std::this_thread::get_id());
                if (i == 9) done.set_value();
            }));
        REQUIRE(done.get_future().wait_for(10s) == std::future_status::ready);
    }
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    for (auto id : threads) {
        CHECK(id == threads.front());
        CHECK(id != std::this_thread::get_id());
    }
}

TEST_CASE(
    "the background queue is bounded: a full queue refuses a job and takes jobs again once "
    "drained") {
    Gate gate;
    std::atomic<int> ran{0};
    BackgroundWorker worker(3);
    REQUIRE(worker.post([&] {
        gate.reached.set_value();
        gate.opened.wait();
        ++ran;
    }));
    REQUIRE(gate.reached.get_future().wait_for(10s) ==
            std::future_status::ready);  // running, not waiting
    for (int i = 0; i < 3; ++i) CHECK(worker.post([&] { ++ran; }));
    CHECK(worker.waiting() == 3);
    CHECK_FALSE(worker.post([&] { ran += 100; }));  // the fourth waiting job is refused
    gate.open.set_value();
    for (int i = 0; i < 1000 && ran.load() < 4; ++i) std::this_thread::sleep_for(5ms);
    CHECK(ran.load() == 4);
    std::promise<void> after;
    CHECK(worker.post([&] { after.set_value(); }));
    CHECK(after.get_future().wait_for(10s) == std::future_status::ready);
}

TEST_CASE("stopping the background worker finishes the running job and drops the waiting ones") {
    Gate gate;
    std::atomic<bool> firstFinished{false};
    std::atomic<int> waitingRan{0};
    auto worker = std::make_unique<BackgroundWorker>(4);
    REQUIRE(worker->post([&] {
        gate.reached.set_value();
        gate.opened.wait();
        std::this_thread::sleep_for(50ms);
        firstFinished = true;
    }));
    REQUIRE(gate.reached.get_future().wait_for(10s) == std::future_status::ready);
    REQUIRE(worker->post([&] { ++waitingRan; }));
    REQUIRE(worker->post([&] { ++waitingRan; }));
    std::thread opener([&] {
        std::this_thread::sleep_for(50ms);
        gate.open.set_value();
    });
    worker.reset();  // joins: returns only after the running job is done
    opener.join();
    CHECK(firstFinished.load());
    CHECK(waitingRan.load() == 0);
}

TEST_CASE("a background job that throws is logged and the worker goes on") {
    BackgroundWorker worker(4);
    REQUIRE(worker.post([] { throw std::runtime_error("boom"); }));
    std::promise<void> next;
    REQUIRE(worker.post([&] { next.set_value(); }));
    CHECK(next.get_future().wait_for(10s) == std::future_status::ready);
}
