// The call page's player: a transcript line's time seeks the recording there and plays it; the
// line being heard is marked; an expired signed link (five minutes) is replaced by a fresh one
// without losing the place.
const player = document.getElementById('player');

if (player) {
  const lines = [...document.querySelectorAll('.transcript .line[data-start]')];

  document.querySelectorAll('.transcript button.seek').forEach((button) => {
    button.addEventListener('click', () => {
      player.currentTime = Number(button.dataset.start);
      player.play().catch(() => {});
    });
  });

  player.addEventListener('timeupdate', () => {
    const now = player.currentTime;
    for (const line of lines) {
      const start = Number(line.dataset.start);
      const end = line.dataset.end ? Number(line.dataset.end) : Infinity;
      line.classList.toggle('current', now >= start && now < end);
    }
  });

  // A failed load after the link's five minutes: ask the console for a new link (the session and
  // CSRF token are the page's) and carry on where the player was. Once per failure.
  let refreshing = false;
  player.addEventListener('error', async () => {
    if (refreshing) {
      return;
    }
    refreshing = true;
    const at = player.currentTime;
    const wasPlaying = !player.paused;
    const header = document.querySelector('meta[name="csrf-header"]')?.content;
    const token = document.querySelector('meta[name="csrf-token"]')?.content;
    try {
      const response = await fetch(player.dataset.link, {
        method: 'POST',
        headers: header && token ? { [header]: token } : {},
      });
      if (response.ok) {
        const { url } = await response.json();
        player.src = url;
        player.currentTime = at;
        if (wasPlaying) {
          await player.play();
        }
      }
    } catch {
      // The player shows its own error state.
    } finally {
      setTimeout(() => { refreshing = false; }, 10000);
    }
  });
}
