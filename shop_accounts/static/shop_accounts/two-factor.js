// The two-factor pages: the recovery codes' print button (shown only where it
// works), and what the device said when no passkey was made (allauth's script
// only logs it to the console).
(function () {
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false
    button.addEventListener('click', function () { window.print() })
  })

  document.addEventListener('allauth.error', function (event) {
    const box = document.querySelector('[data-passkey-error]')
    if (!box) return
    event.preventDefault()
    // InvalidStateError: the device already holds a passkey for this account
    // (the page lists the account's passkeys for the device to exclude).
    const exception = event.detail && event.detail.exception
    box.textContent = exception && exception.name === 'InvalidStateError'
      ? box.dataset.already
      : box.dataset.failed
  })
})()
