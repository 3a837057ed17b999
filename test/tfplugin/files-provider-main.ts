/** Entry point of the test-only `files` provider, bundled by files-provider.terraform.test.ts. */
import { runPluginProcess } from '../../src/tfplugin';
import { filesProvider } from './files-provider';

void runPluginProcess(filesProvider);
