export { BackgroundMeetings } from './backgroundMeetings.js';
export { superviseMeetings, type MeetingStarter, type Supervisor } from './superviseMeetings.js';
