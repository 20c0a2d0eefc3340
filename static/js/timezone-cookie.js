// Remember the browser's timezone so pages show times in the viewer's own zone before they sign in.
try {
  var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz && document.cookie.indexOf("tz=" + tz) === -1) {
    document.cookie = "tz=" + tz + ";path=/;max-age=31536000;samesite=lax";
  }
} catch (e) {}
