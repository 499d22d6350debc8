// hubsim — Loom webhook delivery (zaikio-hub.md §6).
//
// Each event is POSTed to its app's webhook URL as one JSON object
//   {"id","name","subject","timestamp","version":"1.0"[,"payload"],"received_at"}
// with `X-Loom-Signature: <lower-case hex HMAC-SHA256 of the raw body, keyed with the app's
// shared secret>`. A delivery that times out or gets no 2xx is retried after
// first_retry_ms, then twice as long each time (capped), up to max_attempts: at-least-once, so
// a receiver may see an event twice. One background thread delivers; the control API lists
// every delivery and its attempts (never the secret).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config.h"
#include "state.h"

namespace zai::hubsim {

struct DeliveryAttempt {
    std::int64_t at_ms = 0;
    int status = 0;     // HTTP status, 0 when there was none
    std::string error;  // "timeout", "connection refused", ...
};

struct Delivery {
    std::string event_id;
    std::string name;
    std::string subject;
    std::string url;     // without credentials
    std::string body;    // the exact bytes signed and sent
    std::vector<DeliveryAttempt> attempts;
    bool delivered = false;
    bool given_up = false;
    std::int64_t next_at_ms = 0;
};

class Webhooks {
public:
    explicit Webhooks(const WebhookPolicy& policy);
    ~Webhooks();  // stops the thread; undelivered events are dropped

    void start();
    // Queues events for apps that have a webhook URL (apps without one are skipped).
    void send(Hub& hub, const std::vector<EventToSend>& events);

    std::vector<Delivery> deliveries() const;  // oldest first
    void clear();

private:
    struct Queued {
        Delivery delivery;
        std::string target_url;  // may hold user:password@ for Basic auth
        std::string secret;
    };
    void run();
    void attempt(Queued& q);

    WebhookPolicy policy_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Queued> queue_;
    std::vector<Delivery> done_;            // delivered or given up, oldest first
    std::optional<Delivery> in_flight_;     // being attempted right now
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace zai::hubsim
