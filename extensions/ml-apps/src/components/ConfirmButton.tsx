import { confirmButtonWith, t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

/** A button whose action runs only after its question is confirmed (the shared one, with ml-apps' words and ids). */
export const ConfirmButton = confirmButtonWith({
  yes: () => t('ml-apps.confirm.yes'),
  no: () => t('ml-apps.form.cancel'),
  yesTestId: ML_IDS.confirm,
  noTestId: ML_IDS.cancel,
});
