// 从 Word 文件导入: send the chosen file, say what came in; reload to show the new case or
// plan unless the form holds unsaved edits (then the teacher saves first).
(() => {
  // delegated from the document: restoring a draft renders the form's inside anew
  const $id = (id) => document.getElementById(id);
  const say = (lines, bad) => {
    $id("word-import-result").replaceChildren(...lines.map((text, i) => {
      const p = document.createElement("p");
      p.textContent = text;
      if (i === 0 && bad) p.className = "finding error";
      else if (i > 0) p.className = "finding warning";
      return p;
    }));
  };
  // choosing a file or a kind is no edit of the form: the form's listeners never see it
  for (const type of ["input", "change", "click"]) {
    document.addEventListener(type, (event) => {
      const target = event.target;
      if (!(target instanceof Element) || !target.closest("#word-import")) return;
      event.stopPropagation();
      if (type === "click" && target.closest("#word-import-button")) $id("word-import-file").click();
      if (type === "change" && target.id === "word-import-file") send(target);
      if (type === "click" && target.closest("#word-import-result button")) location.reload();
    }, true);
  }
  async function send(input) {
    const button = $id("word-import-button");
    const result = $id("word-import-result");
    const file = input.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file, file.name);
    body.append("kind", $id("word-import-kind").value);
    button.disabled = true;
    say([`正在导入《${file.name}》……`]);
    const base = location.pathname.replace(/\/$/, "");
    let data = {};
    let ok = false;
    try {
      const response = await fetch(`${base}/import-docx`, {method: "POST", body});
      ok = response.ok;
      data = await response.json();
    } catch (e) {
      data = {error: "服务器没有回应，请确认 showcase edit 还在运行"};
    }
    button.disabled = false;
    input.value = "";
    if (!ok) { say([data.error || "导入失败"], true); return; }
    const notes = data.notes || [];
    const unsaved = document.getElementById("status")?.classList.contains("dirty");
    if (!unsaved && !notes.length) {
      sessionStorage.setItem("showcase-saved", data.message);
      location.reload();
      return;
    }
    const tail = unsaved ? "表单里还有未保存的修改：请先点“保存”，页面刷新后就能看到导入的内容。" : "";
    say([data.message + tail, ...notes]);
    if (!unsaved) {
      const again = document.createElement("button");
      again.type = "button"; again.className = "primary"; again.textContent = "刷新页面查看";
      result.append(again);
    }
  }
})();
