// reCAPTCHA v3 has no checkbox: fetch a token when the form is submitted,
// put it into the form, then submit for real. Without Google's script the
// form goes out without a token and the server asks to try again.
for (const input of document.querySelectorAll("input[data-recaptcha-site-key]")) {
  const form = input.form;
  form.addEventListener("submit", (event) => {
    if (input.value || typeof grecaptcha === "undefined") {
      return;
    }
    event.preventDefault();
    grecaptcha.ready(() => {
      grecaptcha
        .execute(input.dataset.recaptchaSiteKey, { action: input.dataset.recaptchaAction })
        .then((token) => {
          input.value = token;
          form.requestSubmit(event.submitter);
        });
    });
  });
}
