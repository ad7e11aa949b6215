/** The one team the fake's channels belong to (`channelData.team.id`); its roster is every user of the tenant. */
export const FAKE_TEAM_ID = '19:warden-team@thread.tacv2';
