// en/zh dictionaries of this bundle: the shared UI's strings plus the feature's own (locales/{en,zh}/*.json).
import { mergeLocales } from '@ks-gpu-ml/ui';
import enUi from '../../../locales/en/ui.json';
import zhUi from '../../../locales/zh/ui.json';
import enFeature from '../../../locales/en/gpu-monitoring.json';
import zhFeature from '../../../locales/zh/gpu-monitoring.json';

export const locales = mergeLocales({ en: enUi, zh: zhUi }, { en: enFeature, zh: zhFeature });
