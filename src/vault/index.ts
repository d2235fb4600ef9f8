/** The vault: envelope encryption of secrets under a key ring, rotation that re-wraps, redaction helpers. */
export { Vault } from './vault.ts';
export { KeyRing, parseKeyRing, formatKeyRing, generateMasterKey, type MasterKey } from './key-ring.ts';
export { loadOrCreateLocalKeyRing, LOCAL_KEY_FILE, type LocalKeyRing } from './local-key.ts';
export { rotateAll, type RotationSource, type RotationResult, type RotationOptions, type SealedRow } from './rotate.ts';
export { redactableValues } from './redaction.ts';
export { VaultError, type VaultFailure } from './errors.ts';
