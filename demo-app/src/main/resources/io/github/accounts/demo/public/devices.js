// Where and on what people signed in, as they say it: this machine's loopback address as "this computer", a user
// agent as "Chrome on Linux". The sessions table (app.js) and the activity list (activity.js) use it; the raw user
// agent goes to a tooltip at most.
'use strict';

/** A client address as people read it: this machine's loopback is "this computer". */
function placeName(ip) {
  if (!ip) return 'unknown';
  const loopback = ip === '::1' || /^(::ffff:)?127\./.test(ip) || /^(0+:){7}0*1$/.test(ip);
  return loopback ? 'this computer' : ip;
}

/** A user agent as people read it, "Chrome on Linux"; the raw string is for a tooltip at most. */
function deviceName(userAgent) {
  if (!userAgent) return 'an unknown device';
  const ua = userAgent;
  const browser = [[/Edg(A|iOS)?\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/Firefox\/|FxiOS\//, 'Firefox'],
    [/SamsungBrowser\//, 'Samsung Internet'], [/(Headless)?Chrome\/|Chromium\/|CriOS\//, 'Chrome'],
    [/Version\/[\d.]+.*Safari\//, 'Safari'], [/^curl\//, 'curl'], [/^Java-http-client\/|^Java\//, 'Java']]
    .find(([pattern]) => pattern.test(ua));
  const os = [[/Windows/, 'Windows'], [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'], [/CrOS/, 'ChromeOS'],
    [/Mac OS X|Macintosh/, 'macOS'], [/Linux|X11/, 'Linux']].find(([pattern]) => pattern.test(ua));
  const name = browser ? browser[1] : (ua.match(/^[A-Za-z][\w.-]*/) || ['an unknown browser'])[0];
  return os ? name + ' on ' + os[1] : name;
}
