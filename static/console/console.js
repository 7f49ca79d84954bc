// Ask before destructive form submissions: <form data-confirm="Really?">, or on the one submit
// button of a form that has several: <button data-confirm="Really?">.
document.addEventListener("submit", (event) => {
  const submitter = event.submitter;
  const source = submitter && submitter.dataset.confirm ? submitter : event.target;
  const message = source.dataset && source.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
