// hubsim — Loom webhook delivery (see webhooks.h).
#include "webhooks.h"

#include <algorithm>
#include <chrono>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crypto.h"
#include "http.h"

namespace zai::hubsim {
namespace {

constexpr std::size_t max_kept_deliveries = 2000;

std::string without_credentials(const UrlParts& u) { return u.origin() + u.target; }

}  // namespace

Webhooks::Webhooks(const WebhookPolicy& policy) : policy_(policy) {}

Webhooks::~Webhooks() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Webhooks::start() { thread_ = std::thread([this] { run(); }); }

void Webhooks::send(Hub& hub, const std::vector<EventToSend>& events) {
    if (events.empty()) return;
    std::vector<Queued> ready;
    hub.with([&](Data& d) {
        for (const auto& e : events) {
            const App* app = find_app(d, e.client_id);
            if (!app || app->webhook_url.empty()) continue;
            const auto url = split_url(app->webhook_url);
            if (!url) continue;
            const std::string now = iso_time_ms(unix_now_ms());
            nlohmann::ordered_json body;
            body["id"] = random_uuid();
            body["name"] = e.name;
            body["subject"] = e.subject;
            body["timestamp"] = now;
            body["version"] = "1.0";
            if (!e.payload_json.empty()) body["payload"] = nlohmann::ordered_json::parse(e.payload_json);
            body["received_at"] = now;
            Queued q;
            q.delivery.event_id = body["id"];
            q.delivery.name = e.name;
            q.delivery.subject = e.subject;
            q.delivery.url = without_credentials(*url);
            q.delivery.body = body.dump();
            q.target_url = app->webhook_url;
            q.secret = app->webhook_secret;
            ready.push_back(std::move(q));
        }
    });
    if (ready.empty()) return;
    {
        std::lock_guard lock(mutex_);
        for (auto& q : ready) queue_.push_back(std::move(q));
    }
    wake_.notify_all();
}

void Webhooks::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (stopping_) return;
        const auto due = std::min_element(queue_.begin(), queue_.end(), [](const Queued& a, const Queued& b) {
            return a.delivery.next_at_ms < b.delivery.next_at_ms;
        });
        if (due == queue_.end()) {
            wake_.wait(lock);
            continue;
        }
        const std::int64_t wait = due->delivery.next_at_ms - unix_now_ms();
        if (wait > 0) {
            wake_.wait_for(lock, std::chrono::milliseconds(wait));
            continue;
        }
        Queued q = std::move(*due);
        queue_.erase(due);
        in_flight_ = q.delivery;
        lock.unlock();
        attempt(q);
        lock.lock();
        in_flight_.reset();
        if (q.delivery.delivered || q.delivery.given_up) {
            done_.push_back(std::move(q.delivery));
            if (done_.size() > max_kept_deliveries) done_.erase(done_.begin());
        } else {
            queue_.push_back(std::move(q));
        }
    }
}

void Webhooks::attempt(Queued& q) {
    Delivery& d = q.delivery;
    DeliveryAttempt a;
    a.at_ms = unix_now_ms();
    const auto url = split_url(q.target_url);
    httplib::Client client(url->origin());
    const std::time_t sec = policy_.timeout_ms / 1000;
    const std::time_t usec = (policy_.timeout_ms % 1000) * 1000;
    client.set_connection_timeout(sec, usec);
    client.set_read_timeout(sec, usec);
    client.set_write_timeout(sec, usec);
    client.set_tcp_nodelay(true);
    client.set_keep_alive(false);
    if (!url->user.empty()) client.set_basic_auth(url->user.c_str(), url->password.c_str());
    const httplib::Headers headers{{"X-Loom-Signature", hmac_sha256_hex(q.secret, d.body)},
                                   {"User-Agent", "hubsim-loom"}};
    const auto res = client.Post(url->target.c_str(), headers, d.body, "application/json");
    if (res) {
        a.status = res->status;
        d.delivered = res->status >= 200 && res->status < 300;
    } else {
        a.error = httplib::to_string(res.error());
    }
    d.attempts.push_back(std::move(a));
    if (d.delivered) return;
    if (static_cast<int>(d.attempts.size()) >= policy_.max_attempts) {
        d.given_up = true;
        return;
    }
    std::int64_t delay = policy_.first_retry_ms;
    for (std::size_t i = 1; i < d.attempts.size() && delay < policy_.max_retry_ms; ++i) delay *= 2;
    d.next_at_ms = unix_now_ms() + std::min<std::int64_t>(delay, policy_.max_retry_ms);
}

std::vector<Delivery> Webhooks::deliveries() const {
    std::lock_guard lock(mutex_);
    std::vector<Delivery> out = done_;
    if (in_flight_) out.push_back(*in_flight_);
    for (const auto& q : queue_) out.push_back(q.delivery);
    return out;
}

void Webhooks::clear() {
    std::lock_guard lock(mutex_);
    done_.clear();
}

}  // namespace zai::hubsim
