// The live preview of the Markdown editor: posts the text to the preview endpoint, which renders it
// with the same sanitiser as a saved article, and shows the HTML it returns.
(function () {
  "use strict";
  const editor = document.querySelector("[data-preview-url]");
  if (!editor) return;
  const source = editor.querySelector("[data-markdown-source]");
  const preview = editor.querySelector("[data-markdown-preview]");
  const notice = editor.querySelector("[data-preview-notice]");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!source || !preview || !token) return;
  let timer = null;
  let latest = 0;

  async function render() {
    const asked = ++latest;
    const body = new URLSearchParams({ body_markdown: source.value });
    const response = await fetch(editor.dataset.previewUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token.value },
      body: body,
      credentials: "same-origin",
    });
    if (!response.ok || asked !== latest) return;
    const data = await response.json();
    preview.innerHTML = data.html; // sanitised on the server by content.rendering
    if (notice) {
      notice.textContent = data.notice || "";
      notice.hidden = !data.notice;
    }
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
})();
