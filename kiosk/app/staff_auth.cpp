#include "app/staff_auth.hpp"

#include "auth/staff_pin.hpp"
#include "log/log.hpp"

namespace kiosk::app {

void StaffAuth::check(const std::string& pin) {
    const std::string hash = m_settings.staffPinHash;
    MainQueue* queue = &m_queue;
    const bool taken = m_worker.post([pin, hash, queue] {
        const bool ok = !hash.empty() && platform::auth::verifyPin(pin, hash);
        platform::log::info("staff", ok ? "panel opened" : "wrong PIN");
        queue->post(core::intent::PinChecked{ok});
    });
    if (!taken) {
        platform::log::warn("staff", "PIN not checked: background worker busy");
        m_queue.post(core::intent::PinChecked{false, true});
    }
}

}  // namespace kiosk::app
