export { MeetingRunner, type MeetingSink, type RunHandle } from './meetingRunner.js';
export { superviseMeetings, type MeetingStarter, type Supervisor } from './superviseMeetings.js';
