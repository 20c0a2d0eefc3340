// Uploading an image from the Markdown editor: the server stores and scales it, and answers with
// the Markdown that shows it, which is put where the cursor is in the text.
(function () {
  "use strict";
  const editor = document.querySelector("[data-image-url]");
  const box = document.querySelector("[data-image-insert]");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!editor || !box || !token) return;
  const source = editor.querySelector("[data-markdown-source]");
  const file = box.querySelector("[data-image-file]");
  const alt = box.querySelector("[data-image-alt]");
  const status = box.querySelector("[data-image-status]");
  const FAILED = "The image could not be uploaded.";
  box.hidden = false; // without the script, covers can still be uploaded with the form

  function insert(text) {
    const at = source.selectionStart ?? source.value.length;
    source.value = source.value.slice(0, at) + "\n\n" + text + "\n\n" + source.value.slice(at);
    source.dispatchEvent(new Event("input")); // refreshes the preview
  }

  box.querySelector("[data-image-button]").addEventListener("click", async function () {
    if (!file.files.length || !alt.value.trim()) {
      status.textContent = "Choose an image and describe it first.";
      return;
    }
    const body = new FormData();
    body.append("image", file.files[0]);
    body.append("alt", alt.value);
    status.textContent = "Uploading…";
    let response, data;
    try {
      response = await fetch(editor.dataset.imageUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token.value },
        body: body,
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (error) {
      // No answer, or a page instead of ours (signed out, refused on the way): say so.
      status.textContent = FAILED + " Check that you are still signed in, then try again.";
      return;
    }
    if (!response.ok) {
      status.textContent = data.error || FAILED;
      return;
    }
    insert(data.markdown);
    file.value = "";
    alt.value = "";
    status.textContent = "Image added to the text.";
  });
})();
