/**
 * The Win32 calls devlaunch needs on Windows, through koffi (a prebuilt FFI whose per-platform
 * binaries are optional packages: nothing is compiled or downloaded at install). Loaded lazily
 * and only on win32, so Linux and macOS never load it. Every call is synchronous, in-process and
 * fast (no tool to spawn, no PowerShell): job objects, process identity, listening sockets and
 * console break events. Structures are passed as Buffers and decoded by the pure functions in
 * win/decode.ts, which are unit-tested on Linux with hand-built bytes.
 */
import { createRequire } from 'node:module';
import type { Handle, SnapshotEntry, WinApi } from './api-types.js';
import {
  decodeAccountingActive,
  decodeCommandLine,
  decodeJobPids,
  decodeProcessEntry,
  decodeSid,
  decodeUtf16,
  extendedLimitInfo,
  PROCESSENTRY32W_SIZE,
} from './decode.js';

export type { Handle, OwnerInfo, SnapshotEntry, WinApi } from './api-types.js';

const PROCESS_TERMINATE = 0x0001;
const PROCESS_DUP_HANDLE = 0x0040;
const PROCESS_SET_QUOTA = 0x0100;
const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const TOKEN_QUERY = 0x0008;
const TH32CS_SNAPPROCESS = 0x2;
const INVALID_HANDLE = 0xffffffffffffffffn;
const DUPLICATE_SAME_ACCESS = 0x2;
const ProcessCommandLineInformation = 60;
const JobObjectBasicAccountingInformation = 1;
const JobObjectBasicProcessIdList = 3;
const JobObjectExtendedLimitInformation = 9;
const TokenUser = 1;
const TCP_TABLE_OWNER_PID_LISTENER = 3;
const AF_INET = 2;
const AF_INET6 = 23;
const CTRL_BREAK_EVENT = 1;

let cached: WinApi | null | undefined;
let loadError: string | null = null;

/** The Win32 API, or null off Windows, on a 32-bit build, or when koffi cannot load. */
export function winApi(): WinApi | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.platform !== 'win32') return cached;
  try {
    cached = bind();
  } catch (error) {
    loadError = error instanceof Error ? error.message : String(error);
  }
  return cached;
}

/** Why winApi() is null (for `doctor` and warnings), or null when it loaded or was not tried. */
export function winApiLoadError(): string | null {
  return loadError;
}

/** Replaces the API (tests); null restores lazy loading. */
export function setWinApiForTests(api: WinApi | null | undefined): void {
  cached = api;
}

function bind(): WinApi {
  if (process.arch !== 'x64' && process.arch !== 'arm64') {
    throw new Error(`no Win32 binding for ${process.arch} (x64 and arm64 only)`);
  }
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  const k32 = koffi.load('kernel32.dll');
  const adv = koffi.load('advapi32.dll');
  const nt = koffi.load('ntdll.dll');
  const ip = koffi.load('iphlpapi.dll');
  const f = (lib: typeof k32, sig: string) => lib.func(sig);
  const OpenProcess = f(k32, 'void * __stdcall OpenProcess(uint32_t a, int inh, uint32_t pid)');
  const CloseHandle = f(k32, 'int __stdcall CloseHandle(void *h)');
  const GetCurrentProcess = f(k32, 'void * __stdcall GetCurrentProcess()');
  const GetProcessTimes = f(
    k32,
    'int __stdcall GetProcessTimes(void *h, void *c, void *e, void *k, void *u)',
  );
  const QueryFullProcessImageNameW = f(
    k32,
    'int __stdcall QueryFullProcessImageNameW(void *h, uint32_t fl, void *buf, void *size)',
  );
  const ProcessIdToSessionId = f(k32, 'int __stdcall ProcessIdToSessionId(uint32_t p, void *s)');
  const CreateToolhelp32Snapshot = f(
    k32,
    'void * __stdcall CreateToolhelp32Snapshot(uint32_t fl, uint32_t pid)',
  );
  const Process32FirstW = f(k32, 'int __stdcall Process32FirstW(void *s, void *e)');
  const Process32NextW = f(k32, 'int __stdcall Process32NextW(void *s, void *e)');
  const CreateJobObjectW = f(k32, 'void * __stdcall CreateJobObjectW(void *sa, void *name)');
  const SetInformationJobObject = f(
    k32,
    'int __stdcall SetInformationJobObject(void *j, int cls, void *info, uint32_t len)',
  );
  const QueryInformationJobObject = f(
    k32,
    'int __stdcall QueryInformationJobObject(void *j, int cls, void *info, uint32_t len, void *ret)',
  );
  const AssignProcessToJobObject = f(
    k32,
    'int __stdcall AssignProcessToJobObject(void *j, void *p)',
  );
  const TerminateJobObject = f(k32, 'int __stdcall TerminateJobObject(void *j, uint32_t code)');
  const DuplicateHandle = f(
    k32,
    'int __stdcall DuplicateHandle(void *sp, void *h, void *tp, void *out, uint32_t a, int inh, uint32_t o)',
  );
  const GetLastError = f(k32, 'uint32_t __stdcall GetLastError()');
  const GenerateConsoleCtrlEvent = f(
    k32,
    'int __stdcall GenerateConsoleCtrlEvent(uint32_t ev, uint32_t group)',
  );
  const OpenProcessToken = f(adv, 'int __stdcall OpenProcessToken(void *p, uint32_t a, void *out)');
  const GetTokenInformation = f(
    adv,
    'int __stdcall GetTokenInformation(void *t, int cls, void *buf, uint32_t len, void *ret)',
  );
  const LookupAccountSidW = f(
    adv,
    'int __stdcall LookupAccountSidW(void *sys, void *sid, void *n, void *cn, void *d, void *cd, void *use)',
  );
  const NtQueryInformationProcess = f(
    nt,
    'int32_t __stdcall NtQueryInformationProcess(void *h, int cls, void *buf, uint32_t len, void *ret)',
  );
  const GetExtendedTcpTable = f(
    ip,
    'uint32_t __stdcall GetExtendedTcpTable(void *t, void *size, int order, uint32_t af, int cls, uint32_t r)',
  );

  const isNull = (h: unknown) => h === null || h === 0n || h === 0 || h === INVALID_HANDLE;
  const withProcess = <T>(pid: number, access: number, use: (h: Handle) => T): T | null => {
    const h = OpenProcess(access, 0, pid) as Handle;
    if (isNull(h)) return null;
    try {
      return use(h);
    } finally {
      CloseHandle(h);
    }
  };
  const accountNames = new Map<string, string>();
  const accountName = (sidPtr: Handle, sid: string): string => {
    const known = accountNames.get(sid);
    if (known !== undefined) return known;
    const name = Buffer.alloc(512);
    const domain = Buffer.alloc(512);
    const cn = Buffer.alloc(4);
    const cd = Buffer.alloc(4);
    cn.writeUInt32LE(256);
    cd.writeUInt32LE(256);
    const use = Buffer.alloc(4);
    let user = sid;
    if (LookupAccountSidW(null, sidPtr, name, cn, domain, cd, use)) {
      const n = decodeUtf16(name, 0, cn.readUInt32LE() * 2);
      const d = decodeUtf16(domain, 0, cd.readUInt32LE() * 2);
      user = d === '' ? n : `${d}\\${n}`;
    }
    accountNames.set(sid, user);
    return user;
  };

  return {
    snapshot() {
      const snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0) as Handle;
      if (isNull(snap)) return [];
      const out: SnapshotEntry[] = [];
      try {
        const entry = Buffer.alloc(PROCESSENTRY32W_SIZE);
        entry.writeUInt32LE(PROCESSENTRY32W_SIZE, 0);
        for (let ok = Process32FirstW(snap, entry); ok; ok = Process32NextW(snap, entry)) {
          out.push(decodeProcessEntry(entry));
        }
      } finally {
        CloseHandle(snap);
      }
      return out;
    },
    creationTime: (pid) =>
      withProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION, (h) => {
        const t = [Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8)] as const;
        if (!GetProcessTimes(h, t[0], t[1], t[2], t[3])) return null;
        // An exited process stays openable while anyone holds a handle; its exit time is set.
        if (t[1].readBigUInt64LE() !== 0n) return null;
        return t[0].readBigUInt64LE().toString();
      }),
    imagePath: (pid) =>
      withProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION, (h) => {
        const buf = Buffer.alloc(65536);
        const size = Buffer.alloc(4);
        size.writeUInt32LE(32767);
        if (!QueryFullProcessImageNameW(h, 0, buf, size)) return null;
        return decodeUtf16(buf, 0, size.readUInt32LE() * 2);
      }),
    commandLine: (pid) =>
      withProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION, (h) => {
        const buf = Buffer.alloc(65536 + 16);
        if (
          NtQueryInformationProcess(h, ProcessCommandLineInformation, buf, buf.length, null) !== 0
        )
          return null;
        return decodeCommandLine(buf, (ptr, len) => Buffer.from(koffi.view(ptr, len)));
      }),
    owner: (pid) =>
      withProcess(pid, PROCESS_QUERY_LIMITED_INFORMATION, (h) => {
        const tokOut = Buffer.alloc(8);
        if (!OpenProcessToken(h, TOKEN_QUERY, tokOut)) return null;
        const tok = tokOut.readBigUInt64LE();
        try {
          const buf = Buffer.alloc(256);
          if (!GetTokenInformation(tok, TokenUser, buf, buf.length, Buffer.alloc(4))) return null;
          const sidPtr = buf.readBigUInt64LE(0);
          const sid = decodeSid(Buffer.from(koffi.view(sidPtr, 68)));
          return sid === null ? null : { sid, user: accountName(sidPtr, sid) };
        } finally {
          CloseHandle(tok);
        }
      }),
    sessionId(pid) {
      const out = Buffer.alloc(4);
      return ProcessIdToSessionId(pid, out) ? out.readUInt32LE() : null;
    },
    tcpListenerTable(family) {
      const af = family === 4 ? AF_INET : AF_INET6;
      const size = Buffer.alloc(4);
      for (let attempt = 0; attempt < 4; attempt++) {
        const buf = Buffer.alloc(Math.max(size.readUInt32LE(), 4096));
        size.writeUInt32LE(buf.length);
        const rc = GetExtendedTcpTable(buf, size, 0, af, TCP_TABLE_OWNER_PID_LISTENER, 0);
        if (rc === 0) return buf;
        if (rc !== 122) return null; // anything but ERROR_INSUFFICIENT_BUFFER
      }
      return null;
    },
    createKillOnCloseJob() {
      const job = CreateJobObjectW(null, null) as Handle;
      if (isNull(job)) throw new Error('CreateJobObjectW failed');
      const info = extendedLimitInfo();
      if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, info, info.length)) {
        CloseHandle(job);
        throw new Error('SetInformationJobObject(kill on close) failed');
      }
      return job;
    },
    assignToJob: (job, pid) =>
      withProcess(pid, PROCESS_SET_QUOTA | PROCESS_TERMINATE, (h) =>
        Boolean(AssignProcessToJobObject(job, h)),
      ) ?? false,
    terminateJob: (job, code) => Boolean(TerminateJobObject(job, code)),
    jobActiveCount(job) {
      const buf = Buffer.alloc(48);
      if (!QueryInformationJobObject(job, JobObjectBasicAccountingInformation, buf, 48, null))
        return null;
      return decodeAccountingActive(buf);
    },
    jobPids(job) {
      const buf = Buffer.alloc(8 + 8 * 4096);
      if (!QueryInformationJobObject(job, JobObjectBasicProcessIdList, buf, buf.length, null))
        return null;
      return decodeJobPids(buf);
    },
    duplicateInto: (handle, pid) =>
      withProcess(pid, PROCESS_DUP_HANDLE, (target) => {
        const out = Buffer.alloc(8);
        const self = GetCurrentProcess() as Handle;
        if (!DuplicateHandle(self, handle, target, out, 0, 0, DUPLICATE_SAME_ACCESS)) return null;
        return out.readBigUInt64LE();
      }),
    closeHandle(handle) {
      CloseHandle(handle);
    },
    ctrlBreak: (group) =>
      GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group) ? 0 : (GetLastError() as number) || -1,
  };
}
