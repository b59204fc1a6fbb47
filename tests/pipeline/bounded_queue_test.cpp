#include "pipeline/bounded_queue.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace dd::pipeline {
namespace {

TEST(BoundedQueueTest, DeliversInOrderAcrossThreads) {
  BoundedQueue<int> queue(/*capacity=*/3);
  std::vector<int> received;
  std::jthread consumer([&](std::stop_token stop) {
    while (auto item = queue.pop(stop)) received.push_back(*item);
  });
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(queue.push(i, {}));
  queue.close();
  consumer.join();
  ASSERT_EQ(received.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(received[i], i);
}

TEST(BoundedQueueTest, FullQueueBlocksProducerUntilConsumed) {
  BoundedQueue<int> queue(/*capacity=*/2);
  ASSERT_TRUE(queue.push(1, {}));
  ASSERT_TRUE(queue.push(2, {}));
  // A producer on a full queue waits: stopped while waiting, it gives up without adding.
  bool pushed_while_full = true;
  std::jthread stopped([&](std::stop_token stop) { pushed_while_full = queue.push(3, stop); });
  stopped.request_stop();
  stopped.join();
  EXPECT_FALSE(pushed_while_full);
  // A waiting producer gets in once a pop frees a slot.
  bool third_pushed = false;
  std::jthread producer([&](std::stop_token stop) { third_pushed = queue.push(3, stop); });
  EXPECT_EQ(queue.pop({}).value(), 1);
  producer.join();
  EXPECT_TRUE(third_pushed);
  EXPECT_EQ(queue.pop({}).value(), 2);
  EXPECT_EQ(queue.pop({}).value(), 3);
  queue.close();
  EXPECT_FALSE(queue.pop({}).has_value());
}

TEST(BoundedQueueTest, StopUnblocksWaitingConsumerAndProducer) {
  BoundedQueue<int> empty(/*capacity=*/1);
  std::optional<int> popped = 42;
  std::jthread consumer([&](std::stop_token stop) { popped = empty.pop(stop); });
  consumer.request_stop();
  consumer.join();
  EXPECT_FALSE(popped.has_value());

  BoundedQueue<int> full(/*capacity=*/1);
  ASSERT_TRUE(full.push(1, {}));
  bool pushed = true;
  std::jthread producer([&](std::stop_token stop) { pushed = full.push(2, stop); });
  producer.request_stop();
  producer.join();
  EXPECT_FALSE(pushed);
}

// A cancelled stage stops at once instead of working through what is queued.
TEST(BoundedQueueTest, StopEndsPopEvenWithItemsQueued) {
  BoundedQueue<int> queue(/*capacity=*/4);
  ASSERT_TRUE(queue.push(1, {}));
  ASSERT_TRUE(queue.push(2, {}));
  std::stop_source stop;
  EXPECT_EQ(queue.pop(stop.get_token()).value(), 1);
  stop.request_stop();
  EXPECT_FALSE(queue.pop(stop.get_token()).has_value());
  EXPECT_FALSE(queue.push(3, stop.get_token()));
  EXPECT_EQ(queue.pop({}).value(), 2) << "the item stays for a consumer that was not stopped";
}

TEST(BoundedQueueTest, CloseDrainsThenEnds) {
  BoundedQueue<int> queue(/*capacity=*/4);
  ASSERT_TRUE(queue.push(7, {}));
  queue.close();
  EXPECT_FALSE(queue.push(8, {}));
  EXPECT_EQ(queue.pop({}).value(), 7);
  EXPECT_FALSE(queue.pop({}).has_value());
}

}  // namespace
}  // namespace dd::pipeline
