// Tell the server this browser's time zone (the slagen_tz cookie), so pages show times in it
// when the person has not chosen a zone on their Account page. A page drawn in UTC for want of
// it is drawn again once, with it; a page that answered a form is never reloaded (that would
// send the form again).
(function () {
  "use strict";
  let zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (_) { return; }
  if (!zone) return;
  const value = "slagen_tz=" + encodeURIComponent(zone);
  const had = document.cookie.split("; ").includes(value);
  if (had) return;
  document.cookie = value + "; path=/; max-age=31536000; samesite=lax";
  const root = document.documentElement;
  if (root.dataset.zoneSource === "fallback" && root.dataset.reloadable === "yes") location.reload();
})();
