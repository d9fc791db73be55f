#include "spend/budget_period.hpp"

#include <charconv>
#include <chrono>

namespace litellm::spend {

namespace {

namespace chr = std::chrono;

constexpr std::int64_t kDay = 86400;

std::int64_t midnight_of(std::int64_t t) {
  return t - (((t % kDay) + kDay) % kDay);
}

// The 1st of the month `months` after the one holding `t`, 00:00 UTC.
std::int64_t first_of_month_after(std::int64_t t, int months) {
  const chr::sys_days day{chr::floor<chr::days>(chr::sys_seconds{chr::seconds{t}})};
  const chr::year_month_day ymd{day};
  const auto next = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
  return chr::sys_seconds{chr::sys_days{next / chr::day{1}}}.time_since_epoch().count();
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data() || n <= 0 || n > 100000) {
    return std::nullopt;
  }
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  using U = Duration::Unit;
  if (unit == "s") {
    return Duration{n, U::Second};
  }
  if (unit == "m") {
    return Duration{n, U::Minute};
  }
  if (unit == "h") {
    return Duration{n, U::Hour};
  }
  if (unit == "d") {
    return Duration{n, U::Day};
  }
  if (unit == "w") {
    return Duration{n, U::Week};
  }
  if (unit == "mo") {
    return Duration{n, U::Month};
  }
  return std::nullopt;
}

std::int64_t next_budget_reset(const Duration& p, std::int64_t now) {
  const std::int64_t midnight = midnight_of(now);
  const std::int64_t n = p.count;
  switch (p.unit) {
    case Duration::Unit::Second: {
      const std::int64_t minute = now - (now % 60);
      const std::int64_t next = minute + ((now - minute) / n + 1) * n;
      return next > minute + 60 ? minute + 60 : next;
    }
    case Duration::Unit::Minute: {
      const std::int64_t hour = now - (now % 3600);
      const std::int64_t next = hour + ((now - hour) / (n * 60) + 1) * n * 60;
      return next > hour + 3600 ? hour + 3600 : next;
    }
    case Duration::Unit::Hour: {
      const std::int64_t next = midnight + ((now - midnight) / (n * 3600) + 1) * n * 3600;
      return next > midnight + kDay ? midnight + kDay : next;
    }
    case Duration::Unit::Day:
      if (n == 1) {
        return midnight + kDay;
      }
      if (n == 7) {
        // 1970-01-01 was a Thursday: days since a Monday = (days + 3) % 7.
        const std::int64_t weekday = ((midnight / kDay) + 3) % 7;
        return midnight + (7 - weekday) * kDay;
      }
      if (n == 30) {
        return first_of_month_after(now, 1);
      }
      return midnight + n * kDay;
    case Duration::Unit::Week:
      return midnight + n * 7 * kDay;
    case Duration::Unit::Month:
      return first_of_month_after(now, static_cast<int>(n));
  }
  return now + kDay;
}

std::int64_t add_duration(const Duration& d, std::int64_t now) {
  switch (d.unit) {
    case Duration::Unit::Second:
      return now + d.count;
    case Duration::Unit::Minute:
      return now + d.count * 60;
    case Duration::Unit::Hour:
      return now + d.count * 3600;
    case Duration::Unit::Day:
      return now + d.count * kDay;
    case Duration::Unit::Week:
      return now + d.count * 7 * kDay;
    case Duration::Unit::Month: {
      const chr::sys_seconds t{chr::seconds{now}};
      const auto day = chr::floor<chr::days>(t);
      const chr::year_month_day ymd{day};
      auto target = ymd + chr::months{d.count};
      if (!target.ok()) {  // Jan 31 + 1 month: the last day of February
        target = target.year() / target.month() / chr::last;
      }
      return (chr::sys_days{target} + (t - day)).time_since_epoch().count();
    }
  }
  return now;
}

}  // namespace litellm::spend
