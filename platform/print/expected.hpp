#pragma once
// A small stand-in for C++23 std::expected: a value or an error, never both. Used at the
// platform's boundaries (printer, disk, audio) where failures are expected and returned as
// values. Accessing the wrong side is a broken invariant and asserts.
//
// Lives in print/ because that module needed it first; it is platform-wide (namespace
// `platform`) and other platform modules include it as "print/expected.hpp".
#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace platform {

template <class E>
struct Unexpected {
    E error;
};

template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
    return {std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected<E> e) : m_v(std::in_place_index<1>, std::move(e.error)) {}

    bool hasValue() const { return m_v.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() & { assert(hasValue()); return std::get<0>(m_v); }
    const T& value() const& { assert(hasValue()); return std::get<0>(m_v); }
    T&& value() && { assert(hasValue()); return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const E& error() const { assert(!hasValue()); return std::get<1>(m_v); }

private:
    std::variant<T, E> m_v;
};

template <class E>
class [[nodiscard]] Expected<void, E> {
public:
    Expected() = default;
    Expected(Unexpected<E> e) : m_error(std::move(e.error)) {}

    bool hasValue() const { return !m_error.has_value(); }
    explicit operator bool() const { return hasValue(); }
    const E& error() const { assert(m_error); return *m_error; }

private:
    std::optional<E> m_error;
};

}  // namespace platform
