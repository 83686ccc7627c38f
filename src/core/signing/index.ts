// Signing: this instance's Ed25519 key, and reading and checking other instances' public keys.
export { KEY_FILE, loadInstanceKey, readInstanceKey, type InstanceKey } from './instance-key.js';
export { formatFingerprint, parsePublicKey, publicKeyInfo, verifyBytes, type PublicKeyInfo } from './keys.js';
export { addTrustedKey, removeTrustedKey, signerOf, trustedKeyList, type Signer, type TrustedKeyRow } from './trust.js';
