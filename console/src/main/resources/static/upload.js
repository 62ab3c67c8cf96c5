// Direct upload: ask the console for presigned URLs, PUT the parts straight to S3 (3 at a time) with a progress bar,
// then ask the console to complete. No page reload; the page's list shows the file afterwards.
(function () {
    const PARALLEL = 3;
    const csrf = document.getElementById('csrf');
    const bar = document.getElementById('upload-progress');
    const percent = document.getElementById('upload-percent');
    const status = document.getElementById('upload-status');

    function headers() {
        const h = {'Content-Type': 'application/json'};
        h[csrf.dataset.header] = csrf.dataset.token;
        return h;
    }

    function show(sent, total) {
        const p = total === 0 ? 100 : Math.floor(sent * 100 / total);
        bar.value = p;
        percent.textContent = p + ' %';
    }

    function put(url, blob, onProgress) {
        return new Promise((resolve, reject) => {
            const xhr = new XMLHttpRequest();
            xhr.open('PUT', url);
            xhr.upload.onprogress = e => onProgress(e.loaded);
            xhr.onload = () => xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error('storage answered ' + xhr.status));
            xhr.onerror = () => reject(new Error('storage unreachable'));
            xhr.send(blob);
        });
    }

    async function upload(file) {
        status.textContent = 'Starting ...';
        const start = await fetch('/files/uploads', {method: 'POST', headers: headers(), credentials: 'same-origin',
            body: JSON.stringify({name: file.name, size: file.size, contentType: file.type || 'application/octet-stream'})});
        const plan = await start.json();
        if (!start.ok) throw new Error(plan.error + ': ' + plan.detail);
        const parts = plan.parts || [{part_number: 1, offset: 0, length: file.size, url: plan.url}];
        const sent = new Array(parts.length).fill(0);
        const total = file.size;
        let next = 0;
        status.textContent = 'Uploading ' + parts.length + ' part(s) ...';
        async function worker() {
            while (next < parts.length) {
                const i = next++;
                const part = parts[i];
                await put(part.url, file.slice(part.offset, part.offset + part.length), loaded => {
                    sent[i] = loaded;
                    show(sent.reduce((a, b) => a + b, 0), total);
                });
                sent[i] = part.length;
                show(sent.reduce((a, b) => a + b, 0), total);
            }
        }
        await Promise.all(Array.from({length: Math.min(PARALLEL, parts.length)}, worker));
        status.textContent = 'Checking (size, SHA-256) ...';
        const done = await fetch('/files/uploads/' + plan.id + '/complete', {method: 'POST', headers: headers(),
            credentials: 'same-origin', body: '{}'});
        const stored = await done.json();
        if (!done.ok) throw new Error(stored.error + ': ' + stored.detail);
        show(total, total);
        status.innerHTML = '';
        const b = document.createElement('span');
        b.id = 'upload-done';
        b.dataset.fileId = stored.id;
        b.textContent = 'Stored ' + stored.name + ' (' + stored.size + ' bytes), SHA-256 ' + stored.sha256 + ', id ' + stored.id;
        status.appendChild(b);
    }

    document.getElementById('upload-start').addEventListener('click', () => {
        const file = document.getElementById('upload-file').files[0];
        if (!file) { status.textContent = 'Choose a file first.'; return; }
        show(0, 1);
        upload(file).catch(e => { status.textContent = 'Upload failed: ' + e.message; status.className = 'error'; });
    });
})();
