// en/zh dictionaries of this bundle: the shared UI's strings plus the feature's own (locales/{en,zh}/*.json).
import { mergeLocales } from '@ks-gpu-ml/ui';
import enUi from '../../../locales/en/ui.json';
import zhUi from '../../../locales/zh/ui.json';
import enFeature from '../../../locales/en/ml-apps.json';
import zhFeature from '../../../locales/zh/ml-apps.json';

export const locales = mergeLocales({ en: enUi, zh: zhUi }, { en: enFeature, zh: zhFeature });
