// Times in the reader's own locale and zone. The page says each time in UTC
// (<time datetime="…" data-local="minute|day">2 Dec 2026, 14:05 UTC</time>, archive/times.py), which
// is right without this script; here each is rewritten with the browser's zone named, and the UTC
// text kept as the element's title.
(function () {
  "use strict";
  const minute = { day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit",
                   timeZoneName: "short" };
  const day = { day: "numeric", month: "short", year: "numeric" };
  // The interface's language when one was chosen other than English; for English, the browser's own
  // English (en-GB or en-US), as before there was a choice.
  const lang = document.documentElement.lang;
  const locale = lang && lang !== "en" ? lang : undefined;
  let formats;
  try {
    formats = { minute: new Intl.DateTimeFormat(locale, minute), day: new Intl.DateTimeFormat(locale, day) };
  } catch (err) { return; /* no Intl: the UTC text stays */ }
  for (const element of document.querySelectorAll("time[datetime][data-local]")) {
    const moment = new Date(element.getAttribute("datetime"));
    const format = formats[element.dataset.local];
    if (!format || Number.isNaN(moment.getTime())) continue;
    element.textContent = format.format(moment);
  }
})();
