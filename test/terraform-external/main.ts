/** The provider executable's entry point, bundled by `npm run terraform-mirror`. */
import { runPluginProcess } from '../../src/tfplugin';
import { externalProvider } from './external-provider';

void runPluginProcess(externalProvider);
