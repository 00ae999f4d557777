// Show the new passkey in the list once it is registered.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
